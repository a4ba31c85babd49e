#!/usr/bin/python3
"""Loopback HTTP server for tests and benchmarks.

Serves files from --root with Range and If-Range support, optional throttling (--rate bytes/s),
and a few fixed routes for failure cases:
  /status/NNN            answers with that status
  /redirect/N/PATH       N redirects, then PATH
  /goto?url=URL          one redirect to any URL (another host)
  /cd/NAME/PATH          serves PATH with Content-Disposition: attachment; filename="NAME"
  /liar/PATH             says Accept-Ranges: bytes but answers every request with all of PATH (200)
  /repr-digest/PATH      serves PATH with Repr-Digest: sha-256 of it (RFC 9530)
  /digest/PATH           serves PATH with Digest: SHA-256= of it (RFC 3230)
  /wrong-digest/PATH     serves PATH with a Repr-Digest that is not its digest
  /cut-once/N/PATH       the first answer for PATH stops after N body bytes and closes; later ones are whole
  /stall-once/N/PATH     the first answer for PATH sends N body bytes, then nothing for a minute
  /__stats               JSON: body bytes sent so far and the Range header of each file request
Writes the chosen port to --port-file once listening (port 0 = pick a free one).
"""
import argparse
import base64
import email.utils
import functools
import hashlib
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@functools.lru_cache(maxsize=64)
def file_sha256(path, size, mtime_ns):
    """The file's SHA-256, hashed once per version (size and mtime): every range asks for it."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.digest()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tseeder-test-http"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("http_server: " + (fmt % args) + "\n")

    def _simple(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        raw_path = urllib.parse.urlsplit(self.path).path
        # Split before decoding, so an encoded '/' stays inside its segment.
        parts = [urllib.parse.unquote(p) for p in raw_path.split("/") if p]
        if parts == ["__stats"]:
            with self.server.lock:
                body = json.dumps({"bytes_sent": self.server.bytes_sent, "ranges": self.server.ranges}).encode()
            return self._simple(200, body, [("Content-Type", "application/json")])
        if parts == ["goto"]:
            target = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("url", [""])[0]
            return self._simple(302, b"", [("Location", target)])
        if parts[:1] == ["status"] and len(parts) == 2 and parts[1].isdigit():
            return self._simple(int(parts[1]), b"status page\n")
        if parts[:1] == ["redirect"] and len(parts) >= 3 and parts[1].isdigit():
            n = int(parts[1])
            rest = "/".join(parts[2:])
            target = "/%s" % rest if n <= 1 else "/redirect/%d/%s" % (n - 1, rest)
            return self._simple(302, b"", [("Location", urllib.parse.quote(target))])
        disposition, mode, cut = None, None, None
        if parts[:1] in (["cut-once"], ["stall-once"]) and len(parts) >= 3 and parts[1].isdigit():
            key = "/".join(parts)
            with self.server.lock:
                first = key not in self.server.cut_done
                self.server.cut_done.add(key)
            if first:
                cut = (parts[0], int(parts[1]))
            parts = parts[2:]
        if parts[:1] == ["cd"] and len(parts) >= 3:
            disposition = parts[1]
            parts = parts[2:]
        elif parts[:1] and parts[0] in ("liar", "repr-digest", "digest", "wrong-digest") and len(parts) >= 2:
            mode = parts[0]
            parts = parts[1:]
        full = os.path.realpath(os.path.join(self.server.root, *parts)) if parts else ""
        if not full.startswith(self.server.root + os.sep) or not os.path.isfile(full):
            return self._simple(404, b"not found\n")
        self._send_file(full, disposition, mode, cut)

    def _digest_header(self, full, mode):
        st = os.stat(full)
        digest = file_sha256(full, st.st_size, st.st_mtime_ns)
        if mode == "wrong-digest":
            digest = hashlib.sha256(b"not this file").digest()
        b64 = base64.b64encode(digest).decode()
        return ("Digest", "SHA-256=" + b64) if mode == "digest" else ("Repr-Digest", "sha-256=:%s:" % b64)

    def _send_file(self, full, disposition, mode=None, cut=None):
        st = os.stat(full)
        size = st.st_size
        etag = '"%x-%x"' % (size, int(st.st_mtime))
        start, end = 0, size - 1
        status = 200
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if rng and rng.startswith("bytes=") and (if_range is None or if_range == etag) and mode != "liar":
            a, _, b = rng[6:].partition("-")
            if a.isdigit():
                start = int(a)
                end = int(b) if b.isdigit() else size - 1
                if start >= size:
                    return self._simple(416, b"", [("Content-Range", "bytes */%d" % size)])
                end = min(end, size - 1)
                status = 206
        length = max(0, end - start + 1)
        with self.server.lock:
            self.server.ranges.append(rng)
        self.send_response(status)
        self.send_header("Content-Length", str(length))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(st.st_mtime, usegmt=True))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        if mode in ("repr-digest", "digest", "wrong-digest"):
            self.send_header(*self._digest_header(full, mode))
        if disposition:
            quoted = disposition.replace("\\", "\\\\").replace('"', '\\"')
            self.send_header("Content-Disposition", 'attachment; filename="%s"' % quoted)
        self.end_headers()
        if self.command == "HEAD" or length == 0:
            return
        with open(full, "rb") as f:
            if cut:
                self._sendfile(f, start, min(length, cut[1]))
                if cut[0] == "stall-once":
                    time.sleep(60)
                self.close_connection = True
                return
            if self.server.rate <= 0 and not self.server.tls:
                self._sendfile(f, start, length)
            else:
                self._throttled(f, start, length)

    def _sendfile(self, f, offset, length):
        sock = self.connection
        while length > 0:
            sent = os.sendfile(sock.fileno(), f.fileno(), offset, min(length, 1 << 30))
            if sent <= 0:
                return
            self._count(sent)
            offset += sent
            length -= sent

    def _count(self, n):
        with self.server.lock:
            self.server.bytes_sent += n

    def _throttled(self, f, offset, length):
        f.seek(offset)
        chunk = max(1024, self.server.rate // 20) if self.server.rate > 0 else 1 << 18
        begin = time.monotonic()
        sent = 0
        while sent < length:
            data = f.read(min(chunk, length - sent))
            if not data:
                return
            self.wfile.write(data)
            self._count(len(data))
            sent += len(data)
            due = begin + sent / self.server.rate if self.server.rate > 0 else 0
            delay = due - time.monotonic() if self.server.rate > 0 else 0
            if delay > 0:
                time.sleep(delay)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that hang up mid-body (aria2c's extra connections, killed daemons) are normal.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--rate", type=int, default=0, help="bytes per second per response (0 = unlimited)")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate chain")
    ap.add_argument("--tls-key", help="private key for --tls-cert")
    args = ap.parse_args()
    srv = Server((args.host, args.port), Handler)
    srv.root = os.path.realpath(args.root)
    srv.rate = args.rate
    srv.verbose = args.verbose
    srv.tls = bool(args.tls_cert)
    if srv.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.lock = threading.Lock()
    srv.bytes_sent = 0
    srv.ranges = []
    srv.cut_done = set()
    port = srv.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
