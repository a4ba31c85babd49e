"""The disk guard: a job does not start while the download directory's free space is below what
it and the running downloads still need plus the configured reserve; it waits in `queued`
saying so, fetches nothing, and starts once space allows."""
import os
import unittest

from harness import DaemonTest


class DiskGuardTest(DaemonTest):
    def start_with_reserve(self, mib):
        cfg = os.path.join(self.tmp, "reserve-%d.yaml" % mib)
        with open(cfg, "w") as f:
            f.write("downloads:\n  reserve_mib: %d\n" % mib)
        self.daemon.config = cfg
        self.daemon.start()

    def test_a_job_waits_queued_for_disk_space_then_runs(self):
        self.add_file("big.bin", 300_000)
        self.start_with_reserve(1 << 24)  # 16 TiB kept free: more than this disk has
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("big.bin")}, expect=201)
        waiting = self.daemon.wait_status(job["id"], "queued")
        reason = self.daemon.timeline(job["id"], "status")[-1]["reason"]
        self.assertIn("waiting for disk space", reason)
        self.assertIn("kept in reserve (downloads.reserve_mib)", reason)
        self.assertEqual(waiting["progress"]["bytesDone"], 0)
        self.assertEqual(self.http.stats()["bytes_sent"], 0)  # nothing was fetched
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job["id"])))
        # With the reserve lifted the same job runs at its next dispatch.
        self.assertEqual(self.daemon.stop(), 0)
        self.start_with_reserve(0)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=90)
        self.assertEqual(done["status"], "completed", done)


if __name__ == "__main__":
    unittest.main()
