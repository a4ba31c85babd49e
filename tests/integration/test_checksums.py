"""A URL job may name the digest its file must have (sha256, sha1 or md5): the right one completes
and stores the file, a wrong one fails the job, not to be retried, with both digests named and
nothing kept; a job with a checksum downloads its own copy rather than taking stored content.
Bad checksums are refused at creation with nothing made."""
import hashlib
import os
import unittest

from harness import DaemonTest


class ChecksumTest(DaemonTest):
    def setUp(self):
        super().setUp()
        self.daemon.start()
        self.src = self.add_file("c.bin", 3 * 1024 * 1024 + 5)
        with open(self.src, "rb") as f:
            self.data = f.read()

    def digest(self, algo):
        return hashlib.new(algo, self.data).hexdigest()

    def test_right_digests_complete_and_a_wrong_one_fails(self):
        for n, algo in enumerate(("sha256", "sha1", "md5")):
            url = self.http.url("c.bin?n=%d" % n)
            job = self.daemon.api("POST", "/jobs", {"url": url, algo: self.digest(algo).upper()}, expect=201)
            self.assertEqual(job["checksum"], "%s:%s" % (algo, self.digest(algo)))
            done = self.daemon.wait_status(job["id"], ("completed", "failed"))
            self.assertEqual(done["status"], "completed", done.get("error"))
            # Each downloaded its own copy: none was taken from the one stored before.
            self.assertGreaterEqual(self.http.stats()["bytes_sent"], (n + 1) * len(self.data))

        wrong = "0" * 64
        r = self.cli("add", self.http.url("c.bin?n=wrong"), "--sha256", wrong, "--wait")
        self.assertEqual(r.returncode, 5, r.stdout + r.stderr)
        job_id = r.stdout.split()[1]
        job = self.daemon.job(job_id)
        self.assertEqual(job["status"], "failed")
        self.assertIn("checksum mismatch", job["error"])
        self.assertIn(self.digest("sha256"), job["error"])
        self.assertIn(wrong, job["error"])
        self.assertIsNone(job.get("retry"))
        self.assertEqual(self.daemon.api("GET", "/jobs/%s/files" % job_id, expect=200)["files"][0].get("id"), None)
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "storage", "local", job_id)))
        shown = self.cli("show", job_id)
        self.assertIn("checksum: sha256:" + wrong, shown.stdout)

    def test_bad_checksums_are_refused(self):
        url = self.http.url("c.bin")
        for body, field in [({"url": url, "sha256": "abc"}, "64 hex digits"),
                            ({"url": url, "sha1": "z" * 40}, "40 hex digits"),
                            ({"url": url, "md5": 5}, "md5"),
                            ({"url": url, "sha256": "a" * 64, "md5": "b" * 32}, "one checksum"),
                            ({"magnet": "magnet:?xt=urn:btih:" + "a" * 40, "sha256": "a" * 64}, "URL jobs"),
                            ({"url": url, "sha512": "a" * 128}, "sha512")]:
            r = self.daemon.request("POST", "/jobs", body)
            self.assertEqual(r.status, 400, (body, r.body))
            self.assertIn(field, r.body.decode())
        self.assertEqual(self.daemon.db_count("jobs"), 0)


if __name__ == "__main__":
    unittest.main()
