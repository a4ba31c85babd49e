"""pause / resume / cancel / retry / delete on a real download."""
import os
import unittest

from harness import DaemonTest, sha256_file

SIZE = 24 * 1024 * 1024


class JobActionsTest(DaemonTest):
    http_rate = 6 * 1024 * 1024

    def setUp(self):
        super().setUp()
        self.daemon.start()

    def start_download(self, name="a.bin"):
        src = self.add_file(name, SIZE)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url(name)}, expect=201)
        self.daemon.wait_downloaded(job["id"], 0, timeout=30)
        return src, job["id"]

    def content_sha(self, job_id):
        r = self.cli("get", job_id, "-o", os.path.join(self.tmp, "out-" + job_id))
        self.assertEqual(r.returncode, 0, r.stderr)
        files = os.listdir(os.path.join(self.tmp, "out-" + job_id))
        return sha256_file(os.path.join(self.tmp, "out-" + job_id, files[0]))

    def test_pause_then_resume_completes(self):
        src, jid = self.start_download()
        r = self.cli("pause", jid)
        self.assertEqual(r.returncode, 0, r.stderr)
        paused = self.daemon.job(jid)
        self.assertEqual(paused["status"], "paused")
        self.assertEqual(self.daemon.db_count("queue_messages"), 0)
        self.assertEqual(self.cli("resume", jid).returncode, 0)
        done = self.daemon.wait_status(jid, "completed", timeout=60)
        self.assertEqual(done["progress"]["bytesDone"], SIZE)
        self.assertEqual(self.content_sha(jid), sha256_file(src))
        self.assertTrue(any(r and r != "bytes=0-" for r in self.http.stats()["ranges"]))

    def test_cancel_drops_partial_data(self):
        _, jid = self.start_download()
        r = self.cli("cancel", jid)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.daemon.job(jid)["status"], "cancelled")
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", jid)))
        self.assertEqual(self.cli("resume", jid).returncode, 6)  # not paused: conflict

    def test_retry_failed_job(self):
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("later.bin")}, expect=201)
        self.daemon.wait_status(job["id"], "failed")
        src = self.add_file("later.bin", 1000)
        self.assertEqual(self.cli("retry", job["id"]).returncode, 0)
        self.daemon.wait_status(job["id"], "completed")
        self.assertEqual(self.content_sha(job["id"]), sha256_file(src))

    def test_delete_removes_files_and_rows(self):
        self.add_file("d.bin", 1000)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("d.bin")}, expect=201)
        self.daemon.wait_status(job["id"], "completed")
        stored = os.path.join(self.daemon.data_dir, "storage", "local", job["id"])
        self.assertTrue(os.path.isdir(stored))
        self.assertEqual(self.cli("rm", job["id"]).returncode, 0)
        self.assertFalse(os.path.exists(stored))
        self.assertEqual(self.daemon.request("GET", "/jobs/" + job["id"]).status, 404)
        for table in ("jobs", "job_events", "files", "queue_messages"):
            self.assertEqual(self.daemon.db_count(table), 0, table)

    def test_delete_while_downloading(self):
        _, jid = self.start_download()
        self.assertEqual(self.cli("rm", jid).returncode, 0)
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", jid)))
        self.assertEqual(self.daemon.db_count("jobs"), 0)


if __name__ == "__main__":
    unittest.main()
