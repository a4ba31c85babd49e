"""Bad input gets a clear 4xx and changes nothing: the job, event and queue tables keep their
row counts."""
import socket
import urllib.parse
import unittest

from harness import DaemonTest


class BadInputTest(DaemonTest):
    def setUp(self):
        super().setUp()
        self.daemon.start()

    def counts(self):
        return tuple(self.daemon.db_count(t) for t in ("jobs", "job_events", "queue_messages", "files"))

    def assert_rejected(self, method, path, status, fragment, **kw):
        before = self.counts()
        r = self.daemon.request(method, path, **kw)
        self.assertEqual(r.status, status, r.body[:300])
        err = r.json()["error"]
        self.assertTrue(err["code"])
        self.assertIn(fragment, err["message"])
        self.assertEqual(self.counts(), before)

    def test_malformed_json(self):
        self.assert_rejected("POST", "/jobs", 400, "not valid JSON", raw_body=b'{"url": ')

    def test_not_an_object(self):
        self.assert_rejected("POST", "/jobs", 400, "JSON object", body=["http://x/"])

    def test_missing_url(self):
        self.assert_rejected("POST", "/jobs", 400, "'url' is required", body={})

    def test_url_not_a_string(self):
        self.assert_rejected("POST", "/jobs", 400, "must be a string", body={"url": 5})

    def test_unknown_field(self):
        self.assert_rejected("POST", "/jobs", 400, "unknown field 'uri'", body={"uri": "http://x/"})

    def test_unsupported_schemes(self):
        for url in ("file:///etc/passwd", "gopher://127.0.0.1/", "ftp://127.0.0.1/x", "javascript:alert(1)",
                    "http://", "https://:443/x"):
            with self.subTest(url=url):
                before = self.counts()
                r = self.daemon.request("POST", "/jobs", body={"url": url})
                self.assertEqual(r.status, 400, r.body)
                self.assertTrue(r.json()["error"]["message"])
                self.assertEqual(self.counts(), before)

    def test_url_with_spaces(self):
        self.assert_rejected("POST", "/jobs", 400, "spaces or control", body={"url": "http://a b/"})

    def test_10_mib_body(self):
        # The daemon answers 413 from the header alone and closes, without reading 10 MiB.
        before = self.counts()
        port = int(self.daemon.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"POST /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n"
                      % (self.daemon.api_key.encode(), 10 * 1024 * 1024))
            s.sendall(b'{"url": "http://127.0.0.1/' + b"a" * 65536)
            reply = b""
            while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        self.assertTrue(reply.startswith(b"HTTP/1.1 413"), reply[:200])
        self.assertIn(b"exceeds the limit", reply)
        self.assertEqual(self.counts(), before)

    def test_unknown_job_id(self):
        for path in ("/jobs/0123456789abcdef", "/jobs/not-an-id", "/jobs/0123456789abcdef/files",
                     "/jobs/0123456789abcdef/events"):
            with self.subTest(path=path):
                self.assert_rejected("GET", path, 404, "not found")
        for action in ("pause", "resume", "cancel", "retry"):
            with self.subTest(action=action):
                self.assert_rejected("POST", "/jobs/0123456789abcdef/" + action, 404, "not found")
        self.assert_rejected("DELETE", "/jobs/0123456789abcdef", 404, "not found")

    def test_unknown_route_and_method(self):
        self.assert_rejected("GET", "/nope", 404, "no route")
        self.assert_rejected("PUT", "/jobs", 405, "method not allowed")

    def test_bad_list_parameters(self):
        self.assert_rejected("GET", "/jobs?status=sleeping", 400, "unknown value 'sleeping'")
        self.assert_rejected("GET", "/jobs?limit=0", 400, "'limit'")
        self.assert_rejected("GET", "/jobs?limit=abc", 400, "'limit'")
        self.assert_rejected("GET", "/jobs?offset=-1", 400, "'offset'")

    def test_bad_last_event_id(self):
        self.add_file("f.bin", 10)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("f.bin")}, expect=201)
        self.daemon.wait_status(job["id"], "completed")
        for bad in ("abc", "-1", "99999", "1.5"):
            with self.subTest(last_event_id=bad):
                self.assert_rejected("GET", "/jobs/%s/events" % job["id"], 400, "Last-Event-ID",
                                     headers={"Last-Event-ID": bad})

    def test_state_conflicts(self):
        self.add_file("f.bin", 10)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("f.bin")}, expect=201)
        self.daemon.wait_status(job["id"], "completed")
        for action in ("pause", "resume", "cancel", "retry"):
            with self.subTest(action=action):
                self.assert_rejected("POST", "/jobs/%s/%s" % (job["id"], action), 409, "completed")

    def test_list_pagination_and_filter(self):
        self.add_file("f.bin", 10)
        ids = [self.daemon.api("POST", "/jobs", {"url": self.http.url("f.bin")}, expect=201)["id"] for _ in range(3)]
        for i in ids:
            self.daemon.wait_status(i, "completed")
        page = self.daemon.api("GET", "/jobs?limit=2", expect=200)
        self.assertEqual((len(page["jobs"]), page["total"]), (2, 3))
        rest = self.daemon.api("GET", "/jobs?limit=2&offset=2", expect=200)
        self.assertEqual(len(rest["jobs"]), 1)
        self.assertEqual(set(j["id"] for j in page["jobs"] + rest["jobs"]), set(ids))
        # Keyset pages: the `next` link of each page, as it is, until there is none.
        self.assertIsNotNone(page["next"])
        after = self.daemon.api("GET", page["next"], expect=200)
        self.assertEqual([j["id"] for j in after["jobs"]], [j["id"] for j in rest["jobs"]])
        self.assertIsNone(after["next"])
        self.assertIsNone(self.daemon.api("GET", "/jobs?limit=3", expect=200)["next"])
        self.assert_rejected("GET", "/jobs?offset=1001", 400, "'offset' is past 1000")
        position = urllib.parse.parse_qs(urllib.parse.urlsplit(page["next"]).query)["after"][0]
        self.assert_rejected("GET", "/jobs?offset=1&after=" + position, 400, "exclude each other")
        for bad in ("x", "_0123456789abcdef", "12_01-23", "-1_0123456789abcdef", "1_../../etc", "1_" + "a" * 65):
            self.assert_rejected("GET", "/jobs?after=" + bad, 400, "'after'")
        self.assertEqual(self.daemon.api("GET", "/jobs?status=failed", expect=200)["total"], 0)
        self.assertEqual(self.daemon.api("GET", "/jobs?status=completed", expect=200)["total"], 3)


if __name__ == "__main__":
    unittest.main()
