"""Large HTTP downloads over several connections: a file at least engine_http.split_min_bytes
from a server that serves ranges is fetched as engine_http.connections ranges into one file;
each range resumes where it stopped after a clean stop and after a kill; a server that ignores
ranges, or a file that changed, makes the download start over on one connection. A server's
Repr-Digest or Digest, or a published .sha256 beside the file, is checked like a job's checksum."""
import hashlib
import os
import time
import unittest

from harness import Daemon, DaemonTest, make_random_file, wait_for

MIB = 1024 * 1024
RANGES_CONFIG = """
engine_http:
  connections: 4
  split_min_bytes: 1048576
jobs:
  progress_interval_ms: 100
limits:
  api_per_minute_ip: 0
  api_per_minute_account: 0
"""


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class RangesCase(DaemonTest):
    def setUp(self):
        super().setUp()
        self.daemon = Daemon(os.path.join(self.tmp, "var"), config=self.config_file(RANGES_CONFIG))
        self.daemon.start()

    def add(self, path):
        return self.daemon.api("POST", "/jobs", {"url": self.http.url(path)}, expect=201)

    def finish(self, job):
        done = self.daemon.wait_status(job["id"], ("completed", "failed"), timeout=40)
        self.assertEqual(done["status"], "completed", done.get("error"))
        return done

    def stored_digest(self, job_id, name):
        return sha256(os.path.join(self.daemon.data_dir, "storage", "local", job_id, "files", name))


class SplitTest(RangesCase):
    def test_large_files_come_in_ranges_small_ones_whole(self):
        big = self.add_file("big.bin", 8 * MIB + 3)
        job = self.finish(self.add("big.bin"))
        self.assertEqual(self.stored_digest(job["id"], "big.bin"), sha256(big))
        ranges = self.http.stats()["ranges"]
        # The first request asks for all of it; its answer says ranges are served, so the other
        # three quarters are asked for at once, each to the end of its range.
        size = 8 * MIB + 3
        self.assertEqual(ranges[0], None)
        self.assertEqual(sorted(ranges[1:]),
                         sorted("bytes=%d-%d" % (size * i // 4, size * (i + 1) // 4 - 1) for i in (1, 2, 3)))
        # The first connection stops at the end of its quarter: nothing comes twice (the server
        # counts what it pushed into the socket, which may be more than was read).
        self.assertLess(self.http.stats()["bytes_sent"], 2 * size)

        self.add_file("small.bin", MIB - 1)
        before = len(self.http.stats()["ranges"])
        self.finish(self.add("small.bin"))
        self.assertEqual(self.http.stats()["ranges"][before:], [None])

    def test_a_server_that_ignores_ranges_gets_one_connection(self):
        src = self.add_file("liar.bin", 4 * MIB)
        job = self.finish(self.add("liar/liar.bin"))
        self.assertEqual(self.stored_digest(job["id"], "liar.bin"), sha256(src))
        ranges = self.http.stats()["ranges"]
        # Whole, the ranges (answered with the whole file), then whole again on one connection
        # (ranges still connecting may reach the server after it).
        self.assertEqual(ranges[0], None)
        self.assertEqual(ranges.count(None), 2, ranges)
        self.assertTrue(all(r is None or r.startswith("bytes=") for r in ranges), ranges)
        notices = self.daemon.timeline(job["id"], "notice")
        self.assertEqual([n["kind"] for n in notices], ["ranges_refused"])


class ResumeTest(RangesCase):
    http_rate = MIB  # per response: 24 MiB in four ranges takes about 6 s

    def start_and_stop(self, stop):
        src = self.add_file("slow.bin", 24 * MIB)
        job = self.add("slow.bin")
        state = os.path.join(self.daemon.data_dir, "downloads", job["id"], ".tseeder-partial.meta")

        def segments():
            try:
                with open(state) as f:
                    return [tuple(map(int, l.split("=", 1)[1].split())) for l in f if l.startswith("segment=")]
            except FileNotFoundError:
                return []
        # A checkpoint (every 2 s) has saved some progress of every range: even a kill keeps it.
        wait_for(lambda: len(segments()) == 4 and all(done > 0 for _, _, done in segments()), 30,
                 "every range to have saved progress")
        stop()
        segments = segments()
        self.assertEqual(len(segments), 4)
        sent_before = self.http.stats()["bytes_sent"]
        requests_before = len(self.http.stats()["ranges"])
        self.daemon.start()
        done = self.finish(job)
        self.assertEqual(self.stored_digest(done["id"], "slow.bin"), sha256(src))
        # Each unfinished range asks for the rest of itself, from where its kept bytes end.
        resumed = self.http.stats()["ranges"][requests_before:]
        wanted = ["bytes=%d-%d" % (start + done, end - 1) for start, end, done in segments if start + done < end]
        self.assertEqual(sorted(resumed), sorted(wanted))
        return sent_before, sum(end - start - done for start, end, done in segments)

    def test_each_range_resumes_after_a_clean_stop(self):
        sent_before, remaining = self.start_and_stop(self.daemon.stop)
        # Nothing kept was fetched again: a clean stop saves every range's progress.
        self.assertLess(self.http.stats()["bytes_sent"] - sent_before, remaining + MIB)

    def test_each_range_resumes_after_a_kill(self):
        self.start_and_stop(self.daemon.kill9)

    def test_a_file_changed_while_stopped_starts_over_on_one_connection(self):
        src = self.add_file("changing.bin", 6 * MIB)
        job = self.add("changing.bin")
        self.daemon.wait_downloaded(job["id"], MIB, timeout=60)
        self.daemon.stop()
        make_random_file(src, 6 * MIB)
        os.utime(src, (time.time() + 10, time.time() + 10))  # a new ETag and Last-Modified
        requests_before = len(self.http.stats()["ranges"])
        self.daemon.start()
        done = self.finish(job)
        self.assertEqual(self.stored_digest(done["id"], "changing.bin"), sha256(src))
        # The resumed ranges (answered 200: the If-Range no longer matched), then the whole file
        # once, on one connection; ranges still connecting may reach the server after it.
        after = self.http.stats()["ranges"][requests_before:]
        self.assertEqual(after.count(None), 1, after)
        self.assertIn("ranges_refused", [n["kind"] for n in self.daemon.timeline(job["id"], "notice")])


class ServerDigestTest(RangesCase):
    def test_server_digests_and_sidecars_are_checked(self):
        src = self.add_file("d.bin", 3 * MIB)
        for path in ("repr-digest/d.bin", "digest/d.bin?n=1"):
            self.finish(self.add(path))
        # Over several connections too: the digest of the first answer is the whole file's.
        self.add_file("dd.bin", 6 * MIB)
        self.finish(self.add("repr-digest/dd.bin"))

        job = self.add("wrong-digest/d.bin?n=2")
        failed = self.daemon.wait_status(job["id"], ("completed", "failed"))
        self.assertEqual(failed["status"], "failed")
        self.assertIn("checksum mismatch", failed["error"])
        self.assertIn("the server's digest header says", failed["error"])
        self.assertIn(sha256(src), failed["error"])
        self.assertIsNone(failed.get("retry"))

        # A sha256sum file beside it: the right one passes, a wrong one fails the job.
        s = self.add_file("s.bin", MIB)
        with open(s + ".sha256", "w") as f:
            f.write("%s  s.bin\n" % sha256(s))
        self.finish(self.add("s.bin"))
        w = self.add_file("w.bin", MIB)
        with open(w + ".sha256", "w") as f:
            f.write("%s  w.bin\n" % ("0" * 64))
        failed = self.daemon.wait_status(self.add("w.bin")["id"], ("completed", "failed"))
        self.assertEqual(failed["status"], "failed")
        self.assertIn("w.bin.sha256 says " + "0" * 64, failed["error"])
        # The job's own checksum wins over the server's.
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("wrong-digest/d.bin?n=3"),
                                                "sha256": sha256(src)}, expect=201)
        self.finish(job)


class SidecarOffTest(DaemonTest):
    def test_sidecars_can_be_ignored(self):
        self.daemon = Daemon(os.path.join(self.tmp, "var"), config=self.config_file(
            "engine_http:\n  sidecar_checksums: false\n"))
        self.daemon.start()
        w = self.add_file("w.bin", 1000)
        with open(w + ".sha256", "w") as f:
            f.write("0" * 64 + "\n")
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("w.bin")}, expect=201)
        done = self.daemon.wait_status(job["id"], ("completed", "failed"))
        self.assertEqual(done["status"], "completed", done.get("error"))
        self.assertEqual(self.http.stats()["ranges"], [None])


if __name__ == "__main__":
    unittest.main()
