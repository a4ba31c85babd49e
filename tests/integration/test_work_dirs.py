"""A job's work dir goes at once when the job is done with it: it is renamed aside and deleted on
a worker (freeing blocks can wait for the disk), and what a stop left aside goes at the next start."""
import os
import unittest

from harness import Daemon, DaemonTest, wait_for

MIB = 1024 * 1024


class WorkDirTest(DaemonTest):
    def downloads(self):
        return os.path.join(self.daemon.data_dir, "downloads")

    def test_a_finished_jobs_work_dir_goes(self):
        self.daemon.start()
        self.add_file("a.bin", MIB)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("a.bin")}, expect=201)
        done = self.daemon.wait_status(job["id"], ("completed", "failed"), timeout=30)
        self.assertEqual(done["status"], "completed", done.get("error"))
        wait_for(lambda: os.listdir(self.downloads()) == [], 10, "the work dir and its renamed copy to go")

    def test_what_a_stop_left_aside_goes_at_start(self):
        left = os.path.join(self.daemon.data_dir, "downloads", ".removing-0123456789abcdef-beef")
        os.makedirs(os.path.join(left, "sub"))
        with open(os.path.join(left, "sub", "part.bin"), "wb") as f:
            f.write(b"x" * MIB)
        self.daemon.start()
        wait_for(lambda: not os.path.exists(left), 10, "the leftover dir to go")


if __name__ == "__main__":
    unittest.main()
