"""A pass-through proxy in front of an S3 server that fails the first try of every multipart
part with 503 SlowDown, as S3 does under load (with `always`: every try). Headers (Host
included) pass unchanged, so signatures still check out at the server.

Usage: flaky_s3_proxy.py UPSTREAM_PORT PORT_FILE [always] — writes its own port to PORT_FILE.
GET /__flaky_stats answers {"failed": N, "forwarded": M}.
"""
import http.client
import http.server
import json
import sys
import threading
import urllib.parse

UPSTREAM = int(sys.argv[1])
ALWAYS = len(sys.argv) > 3 and sys.argv[3] == "always"
lock = threading.Lock()
seen_parts = set()
stats = {"failed": 0, "forwarded": 0}

SLOW_DOWN = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
             b'<Message>Please reduce your request rate.</Message></Error>')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _reply(self, status, headers, body):
        self.send_response(status)
        for k, v in headers:
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/__flaky_stats":
            return self._reply(200, [("Content-Type", "application/json")], json.dumps(stats).encode())
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if self.command == "PUT" and "partNumber" in query:
            key = (urllib.parse.urlsplit(self.path).path, query["partNumber"][0])
            with lock:
                first = ALWAYS or key not in seen_parts
                seen_parts.add(key)
                if first:
                    stats["failed"] += 1
            if first:
                return self._reply(503, [("Content-Type", "application/xml")], SLOW_DOWN)
        conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        conn.request(self.command, self.path, body=body if (body or self.command in ("PUT", "POST")) else None,
                     headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        with lock:
            stats["forwarded"] += 1
        self._reply(resp.status, resp.getheaders(), data)
        conn.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
