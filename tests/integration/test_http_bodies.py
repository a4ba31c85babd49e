"""A body that ends early or stalls mid-way, past the part curl reads itself (the rest of a plain
HTTP body is moved from the socket into the file by the engine), fails that attempt as
retryable with a reason, and the next attempt resumes from what is on disk: on one connection
from the partial file's size, over several from each range's saved progress. The stored file is
always the server's, byte for byte."""
import os
import unittest

from harness import Daemon, DaemonTest, sha256_file

MIB = 1024 * 1024
CONFIG = """
engine_http:
  connections: %d
  split_min_bytes: 1048576
  stall_timeout_s: 5
jobs:
  retry_base_ms: 100
  retry_cap_ms: 200
"""


class BodyCase(DaemonTest):
    connections = 1

    def setUp(self):
        super().setUp()
        self.daemon = Daemon(os.path.join(self.tmp, "var"), config=self.config_file(CONFIG % self.connections))
        self.daemon.start()

    def fetch(self, route, name, size):
        src = self.add_file(name, size)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("%s/%s" % (route, name))}, expect=201)
        done = self.daemon.wait_status(job["id"], ("completed", "failed"), timeout=60)
        self.assertEqual(done["status"], "completed", done.get("error"))
        stored = os.path.join(self.daemon.data_dir, "storage", "local", job["id"], "files", name)
        self.assertEqual(sha256_file(stored), sha256_file(src))
        reasons = [d.get("reason", "") for d in self.daemon.timeline(job["id"], "status")]
        return [r for r in reasons if "attempt 1 failed" in r], self.http.stats()["ranges"]


class OneConnectionTest(BodyCase):
    def test_a_body_cut_short_resumes_from_the_partial_file(self):
        failed, ranges = self.fetch("cut-once/%d" % (3 * MIB), "cut.bin", 6 * MIB)
        self.assertEqual(len(failed), 1)
        self.assertIn("closed the connection early", failed[0])
        self.assertEqual(ranges, [None, "bytes=%d-" % (3 * MIB)])

    def test_a_stalled_body_fails_after_the_stall_timeout_and_resumes(self):
        failed, ranges = self.fetch("stall-once/%d" % (2 * MIB), "stall.bin", 5 * MIB)
        self.assertEqual(len(failed), 1)
        self.assertIn("sent nothing for 5 s", failed[0])
        self.assertEqual(ranges, [None, "bytes=%d-" % (2 * MIB)])


class RangesTest(BodyCase):
    connections = 4

    def test_a_range_cut_short_resumes_every_range_where_it_stopped(self):
        size = 8 * MIB
        failed, ranges = self.fetch("cut-once/%d" % (MIB + MIB // 2), "ranges.bin", size)
        self.assertEqual(len(failed), 1)
        self.assertIn("ended a range early", failed[0])
        # The first answer (the first quarter) was cut: the next attempt asks for the rest of it,
        # and nothing of the first quarter is fetched twice.
        self.assertIn("bytes=%d-%d" % (MIB + MIB // 2, size // 4 - 1), ranges)
        starts = [int(r[6:].split("-")[0]) for r in ranges if r]
        self.assertTrue(all(start >= MIB + MIB // 2 for start in starts), ranges)


if __name__ == "__main__":
    unittest.main()
