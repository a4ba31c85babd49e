#!/usr/bin/python3
"""A loopback stand-in for Seedr.cc, for tests and benchmarks of engine-seedr.

It follows the request and response shapes public clients of the service use (see SEEDR.md in
the project's shared notes; the tags below name the source of each shape):
  POST /oauth_test/token.php            password and refresh_token grants; wrong password answers
                                        401 "Invalid username and password combination" [S2][S5]
  GET  /api/device/code                 {device_code, user_code, verification_url, expires_in,
                                        interval} [S2][S3][S7]
  GET  /api/device/authorize            {"error": "authorization_pending"} until approved, then
                                        the tokens [S2][S3][S7]
  POST /oauth_test/resource.php?access_token=&func=   [S2]
      add_torrent     form `magnet` (the field measured to work) or multipart `torrent_file`;
                      `torrent_magnet` parks the torrent in the wishlist and answers
                      queue_full_added_to_wishlist with a `wt` object, as measured [S5]
      list_contents   content_id 0: the root with torrents[] in progress (with progress_url) and
                      folders[] finished; a folder id: its files[] and folders[] [S2][S5]
      fetch_file      folder_file_id -> {result, url, name}, an ff_get URL [S2][S5]
      delete          delete_arr=[{"type": "folder"|"torrent"|"file", "id": N}] [S2]
      get_memory_bandwidth, remove_wishlist [S2]
      an expired or unknown access token answers {"error": "expired_token"} [S2]
  GET  /progress/{id}                   the progress URL of a torrent in progress; JSONP when a
                                        `callback` is given, as the real one [S2]
  GET  /ff_get/{user}/{file}/{name}?st=&e=   the signed file URL: Range, and at most 2 readers
                                        at once per URL (the third gets 429) [S5]

Test controls (not part of the service):
  POST /_control  JSON: "content" {hash, name, files: [{path, disk}], duration_s} registers what
                  a magnet or .torrent of that infohash downloads into (unknown hashes sit at 0 %
                  forever, like a dead magnet); "set" {knob: value} sets a knob; "approve"
                  {user_code}; "expire_tokens": true.
  Knobs: queue_full, space_max, cut_after (bytes, the next file response is cut there once),
         fail_next (list of statuses answered by the next resource calls), omit_fields (list
         of file fields left out of listings), reader_delay_s (each file response waits first),
         reject_next_reads (that many file requests answer 429 as if two readers were on),
         read_rate (bytes/s of each file response; 0: as fast as it goes), token_ttl_s.
  GET  /_stats    JSON: bytes served per file id and in all, the most readers seen on one URL,
                  429s answered, deleted items, wishlist, resource calls by func.
Writes the port to --port-file once listening.
"""
import argparse
import base64
import hashlib
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def bdecode_info_hash(data):
    """SHA-1 of the bencoded `info` dict of a .torrent (v1 infohash), or None."""
    def walk(i):
        c = data[i:i + 1]
        if c == b"i":
            return data.index(b"e", i) + 1
        if c == b"l" or c == b"d":
            i += 1
            while data[i:i + 1] != b"e":
                i = walk(i)
            return i + 1
        colon = data.index(b":", i)
        return colon + 1 + int(data[i:colon])
    try:
        if data[:1] != b"d":
            return None
        i = 1
        while data[i:i + 1] != b"e":
            key_end = walk(i)
            key = data[data.index(b":", i) + 1:key_end]
            value_end = walk(key_end)
            if key == b"info":
                return hashlib.sha1(data[key_end:value_end]).hexdigest()
            i = value_end
    except (ValueError, IndexError):
        return None
    return None


def magnet_hash(uri):
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query)
    for xt in q.get("xt", []):
        if xt.lower().startswith("urn:btih:"):
            h = xt[9:]
            return base64.b32decode(h.upper()).hex() if len(h) == 32 else h.lower()
    return None


class State:
    def __init__(self, email, password):
        self.lock = threading.Lock()
        self.email, self.password = email, password
        self.access = {}   # token -> expiry (epoch s)
        self.refresh = set()
        self.device = {}   # device_code -> {"user_code", "approved"}
        self.contents = {}  # infohash -> {"name", "files": [{"path", "disk"}], "duration_s"}
        self.torrents = {}  # id -> {"hash", "name", "added", "content"}
        self.folders = {}   # id -> {"name", "parent", "files": [file ids], "folders": [ids]}
        self.files = {}     # folder_file_id -> {"name", "disk", "size", "folder"}
        self.wishlist = {}  # id -> title
        self.next_id = 100
        self.knobs = {"queue_full": False, "space_max": 50 << 30, "cut_after": 0, "fail_next": [],
                      "omit_fields": [], "reader_delay_s": 0, "reject_next_reads": 0, "read_rate": 0,
                      "token_ttl_s": 2586746}
        self.stats = {"bytes_served": {}, "total_served": 0, "max_readers": 0, "rejected_429": 0,
                      "deleted": [], "calls": {}, "tokens": 0, "refreshes": 0, "password_grants": 0}
        self.readers = {}  # url path + query -> readers now

    def new_id(self):
        self.next_id += 1
        return self.next_id

    def issue_tokens(self):
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        self.access[access] = time.time() + self.knobs["token_ttl_s"]
        self.refresh.add(refresh)
        self.stats["tokens"] += 1
        return {"access_token": access, "refresh_token": refresh, "expires_in": self.knobs["token_ttl_s"],
                "token_type": "Bearer", "scope": None}

    def space_used(self):
        return sum(f["size"] for f in self.files.values())

    def finish_due(self):
        """Torrents whose time is up become folders (a finished torrent leaves torrents[])."""
        now = time.time()
        for tid, t in list(self.torrents.items()):
            c = t["content"]
            if c is None or now - t["added"] < c["duration_s"]:
                continue
            del self.torrents[tid]
            root = self.new_id()
            self.folders[root] = {"name": t["name"], "parent": 0, "files": [], "folders": []}
            for f in c["files"]:
                parts = f["path"].split("/") if "/" in f["path"].strip("/") else [f["path"]]
                parent = root
                for d in parts[:-1]:
                    found = [i for i in self.folders[parent]["folders"] if self.folders[i]["name"] == d]
                    if found:
                        parent = found[0]
                    else:
                        fid = self.new_id()
                        self.folders[fid] = {"name": d, "parent": parent, "files": [], "folders": []}
                        self.folders[parent]["folders"].append(fid)
                        parent = fid
                file_id = self.new_id()
                self.files[file_id] = {"name": parts[-1], "disk": f["disk"], "size": os.path.getsize(f["disk"]),
                                       "folder": parent}
                self.folders[parent]["files"].append(file_id)

    def progress_of(self, t):
        c = t["content"]
        if c is None:
            return 0
        return min(100, int(100 * (time.time() - t["added"]) / max(c["duration_s"], 0.001)))

    def size_of(self, content):
        return sum(os.path.getsize(f["disk"]) for f in content["files"]) if content else 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-seedr"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("fake_seedr: " + (fmt % args) + "\n")

    @property
    def st(self):
        return self.server.state

    def reply(self, code, obj, content_type="application/json"):
        body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def form(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            boundary = ctype.split("boundary=", 1)[1].strip('"').encode()
            out = {}
            for part in raw.split(b"--" + boundary):
                if b"\r\n\r\n" not in part:
                    continue
                head, body = part.split(b"\r\n\r\n", 1)
                name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode() if b'name="' in head else ""
                out[name] = body[:-2] if body.endswith(b"\r\n") else body
            return out
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()}

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        parts = [p for p in u.path.split("/") if p]
        if u.path == "/_stats":
            with self.st.lock:
                return self.reply(200, dict(self.st.stats, wishlist=list(self.st.wishlist.values()),
                                            torrents=len(self.st.torrents), folders=len(self.st.folders)))
        if u.path == "/api/device/code":
            with self.st.lock:
                code, user = secrets.token_hex(12), secrets.token_hex(3).upper()
                self.st.device[code] = {"user_code": user, "approved": False}
            return self.reply(200, {"device_code": code, "user_code": user,
                                    "verification_url": "https://www.seedr.cc/devices", "expires_in": 1800,
                                    "interval": 1})
        if u.path == "/api/device/authorize":
            with self.st.lock:
                d = self.st.device.get(q.get("device_code", ""))
                if d is None:
                    return self.reply(400, {"error": "invalid_grant"})
                if not d["approved"]:
                    return self.reply(200, {"error": "authorization_pending"})
                del self.st.device[q["device_code"]]
                return self.reply(200, self.st.issue_tokens())
        if parts[:1] == ["progress"] and len(parts) == 2:
            return self.progress(int(parts[1]), q.get("callback"))
        if parts[:1] == ["ff_get"] and len(parts) >= 4:
            return self.serve_file(int(parts[2]), u)
        if u.path == "/oauth_test/resource.php":
            return self.resource(q, {})
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        if u.path == "/_control":
            return self.control(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        form = self.form()
        if u.path == "/oauth_test/token.php":
            return self.token(form)
        if u.path == "/oauth_test/resource.php":
            return self.resource(q, form)
        self.reply(404, {"error": "not found"})

    def control(self, body):
        with self.st.lock:
            if "content" in body:
                c = body["content"]
                self.st.contents[c["hash"].lower()] = {"name": c["name"], "files": c["files"],
                                                       "duration_s": c.get("duration_s", 1.0)}
            for k, v in body.get("set", {}).items():
                self.st.knobs[k] = v
            if "approve" in body:
                for d in self.st.device.values():
                    if d["user_code"] == body["approve"]:
                        d["approved"] = True
            if body.get("expire_tokens"):
                self.st.access = {t: 0 for t in self.st.access}
        self.reply(200, {"ok": True})

    def token(self, form):
        with self.st.lock:
            grant = form.get("grant_type")
            if grant == "password":
                self.st.stats["password_grants"] += 1
                if form.get("username") != self.st.email or form.get("password") != self.st.password:
                    return self.reply(401, {"error": "invalid_grant",
                                            "error_description": "Invalid username and password combination"})
                return self.reply(200, self.st.issue_tokens())
            if grant == "refresh_token":
                self.st.stats["refreshes"] += 1
                if form.get("refresh_token") not in self.st.refresh:
                    return self.reply(400, {"error": "invalid_grant", "error_description": "Invalid refresh token"})
                out = self.st.issue_tokens()
                out["refresh_token"] = form["refresh_token"]  # the oauth_test refresh keeps it
                self.st.refresh.discard(out["refresh_token"])
                self.st.refresh.add(out["refresh_token"])
                return self.reply(200, out)
        self.reply(400, {"error": "unsupported_grant_type"})

    def resource(self, q, form):
        st = self.st
        with st.lock:
            func = q.get("func", "")
            st.stats["calls"][func] = st.stats["calls"].get(func, 0) + 1
            if st.knobs["fail_next"]:
                code = st.knobs["fail_next"].pop(0)
                return self.reply(code, {"error": "try again later"})
            if st.access.get(q.get("access_token", ""), 0) < time.time():
                return self.reply(401, {"error": "expired_token", "error_description": "The access token expired"})
            st.finish_due()
            if func == "get_memory_bandwidth":
                return self.reply(200, {"bandwidth_used": st.stats["total_served"], "bandwidth_max": 1 << 40,
                                        "space_used": st.space_used(), "space_max": st.knobs["space_max"],
                                        "is_premium": 1})
            if func == "add_torrent":
                return self.add_torrent(q, form)
            if func == "remove_wishlist":
                st.wishlist.pop(int(form.get("id", "0")), None)
                return self.reply(200, {"result": True})
            if func == "list_contents":
                return self.list_contents(int(form.get("content_id", "0") or 0))
            if func == "fetch_file":
                fid = int(form.get("folder_file_id", "0"))
                f = st.files.get(fid)
                if not f:
                    return self.reply(200, {"result": False, "error": "file not found"})
                sig = secrets.token_hex(8)
                url = "http://%s:%d/ff_get/7/%d/%s?st=%s&e=%d" % (
                    self.server.server_address[0], self.server.server_address[1], fid,
                    urllib.parse.quote(f["name"]), sig, int(time.time()) + 86400)
                return self.reply(200, {"result": True, "url": url, "name": f["name"]})
            if func == "delete":
                for item in json.loads(form.get("delete_arr", "[]")):
                    st.stats["deleted"].append(item)
                    if item["type"] == "folder":
                        self.drop_folder(int(item["id"]))
                    elif item["type"] == "torrent":
                        st.torrents.pop(int(item["id"]), None)
                return self.reply(200, {"result": True})
        self.reply(200, {"result": False, "error": "unknown func"})

    def add_torrent(self, q, form):
        st = self.st
        if "torrent_file" in form:
            h = bdecode_info_hash(form["torrent_file"])
        elif "magnet" in form:
            h = magnet_hash(form["magnet"])
        else:
            h = None
        content = st.contents.get(h or "")
        title = content["name"] if content else (h or "unknown")
        # The wrong field parks the torrent in the wishlist, as measured against the service.
        wrong_field = "torrent_magnet" in form or "torrent_magnet" in q
        if wrong_field or st.knobs["queue_full"] or st.size_of(content) > st.knobs["space_max"] - st.space_used():
            wid = st.new_id()
            st.wishlist[wid] = title
            reason = ("not_enough_space_added_to_wishlist"
                      if not wrong_field and not st.knobs["queue_full"] else "queue_full_added_to_wishlist")
            return self.reply(200, {"result": reason, "code": 200,
                                    "wt": {"id": wid, "title": title, "torrent_hash": h or ""}})
        if not h:
            return self.reply(200, {"result": False, "code": 400, "error": "invalid torrent"})
        tid = st.new_id()
        st.torrents[tid] = {"hash": h, "name": title, "added": time.time(), "content": content}
        return self.reply(200, {"result": True, "code": 200, "user_torrent_id": tid, "title": title,
                                "torrent_hash": h})

    def list_contents(self, cid):
        st = self.st
        host = "http://%s:%d" % self.server.server_address[:2]
        omit = set(st.knobs["omit_fields"])
        if cid == 0:
            torrents = [{"id": tid, "name": t["name"], "size": st.size_of(t["content"]), "hash": t["hash"],
                         "progress": st.progress_of(t), "download_rate": 1 << 20, "upload_rate": 0, "seeders": 3,
                         "leechers": 1, "stopped": 0, "progress_url": "%s/progress/%d?callback=cb" % (host, tid)}
                        for tid, t in st.torrents.items()]
            folders = [{"id": fid, "name": f["name"], "size": self.folder_size(fid), "last_update": ""}
                       for fid, f in st.folders.items() if f["parent"] == 0]
            return self.reply(200, {"id": 0, "name": "", "space_used": st.space_used(),
                                    "space_max": st.knobs["space_max"], "folders": folders, "files": [],
                                    "torrents": torrents})
        f = st.folders.get(cid)
        if not f:
            return self.reply(200, {"result": False, "error": "folder not found"})
        files = []
        for i in f["files"]:
            entry = {"folder_file_id": i, "file_id": i + 100000, "name": st.files[i]["name"],
                     "size": st.files[i]["size"], "folder_id": cid, "hash": "", "is_lost": 0}
            files.append({k: v for k, v in entry.items() if k not in omit})
        folders = [{"id": i, "name": st.folders[i]["name"], "size": self.folder_size(i)} for i in f["folders"]]
        self.reply(200, {"id": cid, "name": f["name"], "folders": folders, "files": files, "torrents": []})

    def folder_size(self, fid):
        f = self.st.folders[fid]
        return sum(self.st.files[i]["size"] for i in f["files"]) + sum(self.folder_size(i) for i in f["folders"])

    def drop_folder(self, fid):
        f = self.st.folders.pop(fid, None)
        if not f:
            return
        for i in f["files"]:
            self.st.files.pop(i, None)
        for i in f["folders"]:
            self.drop_folder(i)

    def progress(self, tid, callback):
        with self.st.lock:
            self.st.finish_due()
            t = self.st.torrents.get(tid)
            if not t:
                obj = {"title": "", "progress": 101}
            else:
                p = self.st.progress_of(t)
                size = self.st.size_of(t["content"])
                obj = {"title": t["name"], "size": size, "progress": p, "hash": t["hash"], "stopped": 0,
                       "download_rate": 1 << 20, "torrent_quality": 3, "warnings": "[]", "files_progress": [],
                       "stats": {"torrent_hash": t["hash"], "progress": p, "title": t["name"], "downloading_from": 3,
                                 "uploading_to": 1, "seeders": 3, "leechers": 1, "size": size,
                                 "download_rate": 1 << 20, "folder_created": 0}}
        body = json.dumps(obj)
        if callback:
            return self.reply(200, ("%s(%s)" % (callback, body)).encode(), "application/javascript")
        self.reply(200, body.encode())

    def serve_file(self, fid, u):
        st = self.st
        key = u.path + "?" + u.query
        with st.lock:
            f = st.files.get(fid)
            if not f:
                return self.reply(404, {"error": "gone"})
            if st.readers.get(key, 0) >= 2 or st.knobs["reject_next_reads"] > 0:
                st.knobs["reject_next_reads"] = max(st.knobs["reject_next_reads"] - 1, 0)
                st.stats["rejected_429"] += 1
                return self.reply(429, {"error": "too many connections"})
            st.readers[key] = st.readers.get(key, 0) + 1
            st.stats["max_readers"] = max(st.stats["max_readers"], st.readers[key])
            cut = st.knobs["cut_after"]
            st.knobs["cut_after"] = 0
            delay = st.knobs["reader_delay_s"]
            rate = st.knobs["read_rate"]
        try:
            if delay:
                time.sleep(delay)
            size = f["size"]
            start, end = 0, size - 1
            rng = self.headers.get("Range")
            if rng and rng.startswith("bytes="):
                a, _, b = rng[6:].partition("-")
                start = int(a) if a else 0
                end = int(b) if b else size - 1
                if start >= size:
                    self.send_response(416)
                    self.send_header("Content-Range", "bytes */%d" % size)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            length = end - start + 1
            self.send_response(206 if rng else 200)
            if rng:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(length))
            self.end_headers()
            sent = 0
            with open(f["disk"], "rb") as src:
                src.seek(start)
                began = time.monotonic()
                while sent < length:
                    chunk = src.read(min(64 << 10 if rate else 1 << 20, length - sent))
                    if rate:
                        ahead = sent / rate - (time.monotonic() - began)
                        if ahead > 0:
                            time.sleep(ahead)
                    if not chunk:
                        break
                    if cut and sent + len(chunk) > cut:
                        chunk = chunk[:max(cut - sent, 0)]
                        self.wfile.write(chunk)
                        self.count(fid, len(chunk))
                        self.close_connection = True
                        return
                    self.wfile.write(chunk)
                    sent += len(chunk)
                    self.count(fid, len(chunk))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with st.lock:
                st.readers[key] -= 1

    def count(self, fid, n):
        with self.st.lock:
            served = self.st.stats["bytes_served"]
            served[str(fid)] = served.get(str(fid), 0) + n
            self.st.stats["total_served"] += n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--email", default="operator@example.com")
    ap.add_argument("--password", default="right-password")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    server.state = State(a.email, a.password)
    server.verbose = a.verbose
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, a.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
