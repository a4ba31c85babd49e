"""SIGKILL in the middle of a download: after a restart the job resumes from its partial data and
completes with the right bytes; nothing is lost or duplicated. A step that brings the daemon
down every time it runs is not run a third time by recovery."""
import os
import signal
import unittest

from harness import PLUGIN_DIR, TEST_PLUGIN_DIR, DaemonTest, sha256_file, wait_for

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


class CrashLoopTest(DaemonTest):
    """test-crash-scanner aborts the process when it scans a file named crash-the-daemon."""

    def setUp(self):
        super().setUp()
        plugins = os.path.join(self.tmp, "plugins")
        os.makedirs(plugins)
        for path in (os.path.join(PLUGIN_DIR, "engine-http.so"), os.path.join(TEST_PLUGIN_DIR, "test-crash-scanner.so")):
            os.symlink(path, os.path.join(plugins, os.path.basename(path)))
        self.daemon.plugin_dir = plugins

    def start_and_watch_it_die(self):
        """Starts the daemon, which dies at its first dispatch (recovery resumes the scan); it may
        die before or after it says it listens."""
        try:
            self.daemon.start()
        except AssertionError as e:
            self.assertIn("tseederd exited", str(e))
        self.daemon.proc.wait(timeout=60)
        self.daemon.log.close()
        self.assertEqual(self.daemon.proc.returncode, -signal.SIGABRT, self.daemon.read_log())

    def test_a_step_that_kills_the_daemon_twice_is_not_run_again(self):
        self.add_file("crash-the-daemon.bin", 64 * 1024)
        self.add_file("fine.bin", 64 * 1024)
        self.daemon.start()
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("crash-the-daemon.bin")}, expect=201)
        self.daemon.proc.wait(timeout=60)  # the scan aborted the process
        self.daemon.log.close()
        self.assertEqual(self.daemon.proc.returncode, -signal.SIGABRT)
        self.start_and_watch_it_die()  # recovery resumed the scan once

        self.daemon.start()  # and not again
        failed = self.daemon.job(job["id"])
        self.assertEqual(failed["status"], "failed", failed)
        self.assertEqual(failed["errorCode"], "INTERNAL")
        self.assertIn("stopped unexpectedly twice while this job was scanning", failed["error"])
        # The daemon goes on with other work; the failed job can be retried by hand.
        other = self.daemon.api("POST", "/jobs", {"url": self.http.url("fine.bin")}, expect=201)
        self.assertEqual(self.daemon.wait_status(other["id"], ["completed", "failed"])["status"], "completed")
        self.assertEqual(self.daemon.job(job["id"])["status"], "failed")
        self.assertEqual(self.daemon.db_count("queue_messages"), 0)


if __name__ == "__main__":
    unittest.main()
