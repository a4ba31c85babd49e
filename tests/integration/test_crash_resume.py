"""SIGKILL in the middle of a download: after a restart the job resumes from its partial data and
completes with the right bytes; nothing is lost or duplicated."""
import os
import unittest

from harness import DaemonTest, sha256_file

SIZE = 48 * 1024 * 1024


class CrashResumeTest(DaemonTest):
    http_rate = 12 * 1024 * 1024  # about 4 s for the whole file

    def test_sigkill_mid_download_then_restart(self):
        src = self.add_file("crash.bin", SIZE)
        self.daemon.start()
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("crash.bin")}, expect=201)
        self.daemon.wait_downloaded(job["id"], SIZE * 0.3)
        self.daemon.kill9()

        self.daemon.start()
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=90)
        self.assertEqual(done["status"], "completed", done)

        files = self.daemon.api("GET", "/jobs/%s/files" % job["id"], expect=200)["files"]
        self.assertEqual(len(files), 1)
        r = self.cli("get", job["id"], "-o", self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sha256_file(os.path.join(self.tmp, "crash.bin")), sha256_file(src))

        # Resumed, not restarted: a ranged request and well under two copies sent.
        stats = self.http.stats()
        self.assertTrue(any(r and r.startswith("bytes=") and r != "bytes=0-" for r in stats["ranges"]), stats)
        self.assertLess(stats["bytes_sent"], SIZE * 1.3, stats)
        # Exactly one job, one file row, no leftover queue message.
        self.assertEqual(self.daemon.db_count("jobs"), 1)
        self.assertEqual(self.daemon.db_count("files"), 1)
        self.assertEqual(self.daemon.db_count("queue_messages"), 0)


if __name__ == "__main__":
    unittest.main()
