"""A 100 MiB file through `tseeder add --wait` and `tseeder get`, checked by SHA-256; the content
endpoint with Range; file names from Content-Disposition and redirects."""
import os
import sqlite3
import unittest

from harness import DaemonTest, sha256_file


class DownloadTest(DaemonTest):
    def setUp(self):
        super().setUp()
        self.daemon.start()

    def test_cli_add_wait_get_100mib(self):
        src = self.add_file("big.bin", 100 * 1024 * 1024)
        r = self.cli("add", self.http.url("big.bin"), "--wait")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("completed", r.stdout)
        job_id = r.stdout.split()[1]
        out = os.path.join(self.tmp, "out")
        r = self.cli("get", job_id, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sha256_file(os.path.join(out, "big.bin")), sha256_file(src))
        # The stored copy sits where the layout promises.
        stored = os.path.join(self.daemon.data_dir, "storage", "local", job_id, "files", "big.bin")
        self.assertTrue(os.path.isfile(stored))
        # Nothing left behind in the work directory.
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job_id)))

    def test_range_requests_on_content(self):
        src = self.add_file("r.bin", 1000)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("r.bin")}, expect=201)
        self.daemon.wait_status(job["id"], "completed")
        files = self.daemon.api("GET", "/jobs/%s/files" % job["id"], expect=200)["files"]
        path = "/jobs/%s/files/%d/content" % (job["id"], files[0]["id"])
        with open(src, "rb") as f:
            data = f.read()
        r = self.daemon.request("GET", path)
        self.assertEqual((r.status, r.body), (200, data))
        self.assertEqual(r.headers["Accept-Ranges"], "bytes")
        r = self.daemon.request("GET", path, headers={"Range": "bytes=100-199"})
        self.assertEqual((r.status, r.body), (206, data[100:200]))
        self.assertEqual(r.headers["Content-Range"], "bytes 100-199/1000")
        r = self.daemon.request("GET", path, headers={"Range": "bytes=-10"})
        self.assertEqual((r.status, r.body), (206, data[-10:]))
        r = self.daemon.request("GET", path, headers={"Range": "bytes=990-"})
        self.assertEqual((r.status, r.body), (206, data[990:]))
        r = self.daemon.request("GET", path, headers={"Range": "bytes=5000-"})
        self.assertEqual(r.status, 416)
        self.assertEqual(r.headers["Content-Range"], "bytes */1000")
        etag = self.daemon.request("GET", path).headers["ETag"]
        r = self.daemon.request("GET", path, headers={"Range": "bytes=0-9", "If-Range": etag})
        self.assertEqual(r.status, 206)
        r = self.daemon.request("GET", path, headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
        self.assertEqual((r.status, r.body), (200, data))

    def test_name_from_content_disposition_is_sanitized(self):
        self.add_file("plain.bin", 10)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("cd/..%2F..%2Fevil.txt/plain.bin")}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"])
        self.assertEqual(done["status"], "completed", done)
        files = self.daemon.api("GET", "/jobs/%s/files" % job["id"], expect=200)["files"]
        self.assertEqual(len(files), 1)
        self.assertNotIn("/", files[0]["path"])
        self.assertFalse(files[0]["path"].startswith("."), files[0]["path"])
        self.assertIn("evil.txt", files[0]["path"])
        r = self.daemon.request("GET", "/jobs/%s/files/%d/content" % (job["id"], files[0]["id"]))
        self.assertIn("attachment;", r.headers["Content-Disposition"])
        # Nothing escaped the storage root.
        for root, _dirs, names in os.walk(self.tmp):
            for n in names:
                self.assertNotEqual(n, "evil.txt", os.path.join(root, n))

    def test_redirects_followed_and_name_from_final_url(self):
        src = self.add_file("dir/final.bin", 4096)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("redirect/3/dir/final.bin")}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"])
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(done["name"], "final.bin")
        self.assertEqual(done["progress"]["bytesDone"], os.path.getsize(src))

    def test_too_many_redirects_fail_without_retry(self):
        self.add_file("x.bin", 10)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("redirect/30/x.bin")}, expect=201)
        done = self.daemon.wait_status(job["id"], "failed")
        self.assertIn("redirect", done["error"].lower())

    def test_http_404_fails_with_status_in_reason(self):
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("missing.bin")}, expect=201)
        done = self.daemon.wait_status(job["id"], "failed")
        self.assertIn("404", done["error"])
        r = self.cli("watch", job["id"])
        self.assertEqual(r.returncode, 5)

    def test_http_5xx_is_retried(self):
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("status/503")}, expect=201)
        # A 5xx is retryable: back to the queue with a backoff, not failed.
        self.daemon.wait_status(job["id"], "queued", timeout=30)
        reasons = [d.get("reason", "") for d in self.daemon.timeline(job["id"], "status")]
        con = sqlite3.connect(os.path.join(self.daemon.data_dir, "tseeder.db"), timeout=5)
        attempts = con.execute("SELECT attempts FROM queue_messages WHERE job_id = ?", (job["id"],)).fetchone()
        con.close()
        self.assertTrue(any("attempt 1 failed: HTTP 503" in r for r in reasons), reasons)
        self.assertEqual(attempts[0], 1)
        self.assertIsNone(self.daemon.job(job["id"])["error"])

    def test_empty_file(self):
        self.add_file("empty.bin", 0)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("empty.bin")}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"])
        self.assertEqual(done["status"], "completed", done)
        files = self.daemon.api("GET", "/jobs/%s/files" % job["id"], expect=200)["files"]
        self.assertEqual(files[0]["size"], 0)


if __name__ == "__main__":
    unittest.main()
