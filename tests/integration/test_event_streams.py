"""Event streams are bounded: a hundred clients that read nothing from the stream of a job with
100,000 files cost the daemon little memory (its file list goes abbreviated, stored events are
read as they are taken), and one account keeps at most limits.streams_per_account streams."""
import base64
import hashlib
import os
import socket
import sys
import time
import unittest
import urllib.parse

from harness import DaemonTest, wait_for

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from hostile_torrent import bencode  # noqa: E402

FILES = 100_000


def many_files_torrent():
    """A v1 .torrent of FILES one-byte files (no seeder needed: its metadata is all we use)."""
    piece = 16 * 1024
    data = bytes(FILES)
    pieces = b"".join(hashlib.sha1(data[i:i + piece]).digest() for i in range(0, len(data), piece))
    info = {b"name": b"many", b"piece length": piece, b"pieces": pieces,
            b"files": [{b"length": 1, b"path": [b"d%03d" % (i // 1000), b"%05d" % i]} for i in range(FILES)]}
    return base64.b64encode(bencode({b"info": info})).decode()


class EventStreamTest(DaemonTest):
    def open_stream(self, job_id, key):
        u = urllib.parse.urlsplit(self.daemon.url)
        s = socket.create_connection((u.hostname, u.port), timeout=10)
        s.sendall(b"GET /jobs/%s/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n"
                  % (job_id.encode(), key.encode()))
        return s

    def test_a_hundred_silent_streams_of_a_100k_file_job_stay_small(self):
        self.daemon.config = self.config_file(
            "limits:\n  streams_per_account: 200\nhttp:\n  max_connections_per_address: 200\n")
        self.daemon.start()
        job = self.daemon.api("POST", "/jobs", {"torrent": many_files_torrent()}, expect=201)
        wait_for(lambda: self.daemon.job(job["id"])["status"] == "downloading", 120, "the file list")
        listed, link = 0, "/jobs/%s/files?limit=10000" % job["id"]
        while link:
            page = self.daemon.api("GET", link, expect=200)
            listed, link = listed + len(page["files"]), page["next"]
        self.assertEqual(listed, FILES)
        # One reading client sees the list as its count.
        s = self.open_stream(job["id"], self.daemon.api_key)
        got = b""
        deadline = time.monotonic() + 20
        while b"metadata_ready" not in got and time.monotonic() < deadline:
            got += s.recv(65536)
        s.close()
        self.assertIn(b'"fileCount":100000', got)
        self.assertLess(len(got), 256 * 1024)

        time.sleep(0.5)
        before = self.daemon.status_field("VmRSS")
        silent = [self.open_stream(job["id"], self.daemon.api_key) for _ in range(100)]
        self.addCleanup(lambda: [x.close() for x in silent])
        # Every stream was answered (its headers are waiting in the socket) and is held open.
        for x in silent:
            x.settimeout(10)
            self.assertIn(b"200 OK", x.recv(256, socket.MSG_PEEK))
        time.sleep(1)
        grew_kb = self.daemon.status_field("VmRSS") - before
        self.assertLess(grew_kb, 50 * 1024, "RSS grew by %d kB" % grew_kb)
        self.assertEqual(self.daemon.api("GET", "/health", expect=200)["status"], "ok")

    def test_an_account_keeps_at_most_its_streams(self):
        self.daemon.config = self.config_file("limits:\n  streams_per_account: 3\n")
        self.daemon.start()
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("missing.bin")}, expect=201)
        held = [self.open_stream(job["id"], self.daemon.api_key) for _ in range(3)]
        for x in held:
            x.settimeout(10)
            self.assertIn(b"200 OK", x.recv(256, socket.MSG_PEEK))
        fourth = self.open_stream(job["id"], self.daemon.api_key)
        fourth.settimeout(10)
        answer = fourth.recv(4096)
        self.assertIn(b"429", answer.split(b"\r\n")[0])
        self.assertIn(b"limits.streams_per_account", answer)
        fourth.close()
        held.pop().close()
        # The closed stream's place is free again once the daemon notices the hang-up.
        def fifth_ok():
            s = self.open_stream(job["id"], self.daemon.api_key)
            s.settimeout(10)
            ok = b"200 OK" in s.recv(256, socket.MSG_PEEK)
            held.append(s)
            return ok
        wait_for(fifth_ok, 10, "a free stream place")
        for x in held:
            x.close()


if __name__ == "__main__":
    unittest.main()
