#!/usr/bin/python3
"""Writes a v1 .torrent with hostile file names and lays its content out where libtorrent
(python3-libtorrent, the same version as the engine) puts those names, so that bt_seeder.py
--torrent-in can seed it. Prints a JSON list of {path, size, sha256} per file, `path` as
libtorrent places it.

--names escape: names that try to leave the download directory ('..', absolute paths,
backslashes, control characters, overlong names).
--names collide: names that differ on disk but become the same once sanitized (reserved
characters, trailing dots and spaces, leading dots, invalid UTF-8, case, a file named like a
directory), with data and zero-length."""
import argparse
import hashlib
import json
import os

import libtorrent as lt

PIECE = 16 * 1024

# (path elements as they appear in the info dict, size). Sizes differ so files can be told apart.
ESCAPE = [
    ([b"..", b"..", b"escape-dotdot.txt"], 20000),
    ([b"/tmp/escape-absolute.txt"], 20001),
    ([b"..\\..\\escape-backslash.txt"], 20002),
    ([b"ctrl\x01\x1b[31mescape-control.txt"], 20003),
    ([b"escape-long-" + b"x" * 300 + b".txt"], 20004),
    ([b"sub", b"..", b"..", b"escape-nested.txt"], 20005),
    ([b"C:\\escape-drive.txt"], 20006),
]

COLLIDE = [
    ([b"reserved:name.txt"], 30000),
    ([b"reserved_name.txt"], 30001),
    ([b"reserved?name.txt"], 30002),
    ([b"reserved|name.txt"], 0),
    ([b"reserved*name.txt"], 0),
    ([b"trailing.txt."], 30003),
    ([b"trailing.txt"], 30004),
    ([b"trailing.txt.."], 30005),
    ([b"trailing.txt "], 0),
    ([b".leading.txt"], 30006),
    ([b"leading.txt"], 30007),
    ([b"...leading.txt"], 0),
    ([b"utf8-\xff.txt"], 30008),
    ([b"utf8-\xfe.txt"], 30009),
    ([b"utf8-_.txt"], 30010),
    ([b"Case.txt"], 30011),
    ([b"case.txt"], 30012),
    ([b"CASE.txt"], 0),
    ([b"dir."], 30013),
    ([b"dir", b"inner.txt"], 30014),
    ([b"dir:", b"inner.txt"], 30015),
]
SETS = {"escape": (ESCAPE, b"../../escape-name"), "collide": (COLLIDE, b"collide")}


def bencode(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"
    raise TypeError(v)


def content(index, size):
    out, counter = b"", 0
    while len(out) < size:
        out += hashlib.sha256(b"%d:%d" % (index, counter)).digest()
        counter += 1
    return out[:size]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--torrent-out", required=True)
    ap.add_argument("--data-dir", required=True, help="where the seeder's copy of the content goes")
    ap.add_argument("--names", choices=sorted(SETS), default="escape")
    args = ap.parse_args()
    files, name = SETS[args.names]
    blobs = [content(i, size) for i, (_path, size) in enumerate(files)]
    joined = b"".join(blobs)
    pieces = b"".join(hashlib.sha1(joined[i:i + PIECE]).digest() for i in range(0, len(joined), PIECE))
    info = {b"name": name, b"piece length": PIECE, b"pieces": pieces,
            b"files": [{b"path": path, b"length": size} for path, size in files]}
    with open(args.torrent_out, "wb") as f:
        f.write(bencode({b"info": info}))
    ti = lt.torrent_info(args.torrent_out)
    root = os.path.realpath(args.data_dir)
    fs = ti.files()
    for i in range(fs.num_files()):
        dest = os.path.realpath(os.path.join(root, fs.file_path(i)))
        if not dest.startswith(root + os.sep):
            raise SystemExit("libtorrent placed file %d outside the data dir: %s" % (i, dest))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as f:
            f.write(blobs[i])
    print(json.dumps([{"path": fs.file_path(i), "size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
                      for i, b in enumerate(blobs)]))


if __name__ == "__main__":
    main()
