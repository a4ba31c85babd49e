"""Speed limits hold: per job and for the whole engine, HTTP and BitTorrent, within 10 % over
every 5-second window after the first second, measured by what is on disk in the job's work dir
(not by what the engine reports)."""
import os
import time
import unittest

from harness import DaemonTest
from test_bittorrent import BitTorrentCase

MiB = 1024 * 1024
WINDOW = 5.0


def bytes_on_disk(work_dir):
    """Bytes written under a work dir (allocated blocks: a sparse file counts what it holds)."""
    total = 0
    for root, _, files in os.walk(work_dir):
        for name in files:
            if name.endswith((".meta", ".tmp", ".parts")) or name in (".tseeder-resume", ".tseeder-clean-stop"):
                continue
            try:
                total += os.stat(os.path.join(root, name)).st_blocks * 512
            except FileNotFoundError:
                pass
    return total


class Sampler:
    """What the work dirs hold, every 50 ms, from the first byte on."""

    def __init__(self, work_dirs):
        self.work_dirs = work_dirs
        self.samples = []  # (seconds since the first byte, bytes)
        self.start = None

    def run(self, seconds, deadline=60):
        start = self.start
        give_up = time.monotonic() + deadline
        while time.monotonic() < give_up:
            now = time.monotonic()
            got = sum(bytes_on_disk(d) for d in self.work_dirs)
            if start is None and got > 0:
                start = self.start = now
            if start is not None:
                self.samples.append((now - start, got))
                if now - start >= seconds:
                    return self
            time.sleep(0.05)
        raise AssertionError("no data within %ds" % deadline)

    def at(self, t):
        """Bytes at time t, between the two samples around it."""
        for (t0, b0), (t1, b1) in zip(self.samples, self.samples[1:]):
            if t0 <= t <= t1:
                return b0 + (b1 - b0) * (t - t0) / (t1 - t0) if t1 > t0 else b1
        raise ValueError(t)

    def window_rates(self, since, until):
        """The rate over every 5-second window starting at `since`, `since`+0.25, … ending by `until`."""
        rates = []
        t = since
        while t + WINDOW <= until + 1e-9:
            rates.append((t, (self.at(t + WINDOW) - self.at(t)) / WINDOW))
            t += 0.25
        return rates


class LimitCase:
    """Checks for a daemon test with a work_dir(job_id) method."""

    def work_dir(self, job_id):
        return os.path.join(self.daemon.data_dir, "downloads", job_id)

    def assert_holds(self, sampler, limit, since, until):
        rates = sampler.window_rates(since, until)
        self.assertTrue(rates)
        off = [(round(t, 2), round(r / limit, 3)) for t, r in rates if abs(r - limit) > 0.1 * limit]
        self.assertEqual(off, [], "windows off the limit of %d B/s (start, rate/limit)" % limit)

    def assert_job_limit_holds_and_follows_a_change(self, source):
        """A job from `source` (its POST /jobs fields) at 1 MiB/s, then 2 MiB/s from a PATCH."""
        job = self.daemon.api("POST", "/jobs", dict(source, downloadLimit=MiB), expect=201)
        sampler = Sampler([self.work_dir(job["id"])]).run(7)
        self.assert_holds(sampler, MiB, 1.0, 7.0)
        self.daemon.api("PATCH", "/jobs/" + job["id"], {"downloadLimit": 2 * MiB}, expect=200)
        changed = sampler.samples[-1][0]
        sampler.run(changed + 7)
        self.assert_holds(sampler, 2 * MiB, changed + 1.0, changed + 7.0)
        self.assertEqual(self.daemon.job(job["id"])["status"], "downloading")

    def assert_engine_limit_holds(self, sources):
        """Jobs from `sources` together under the engine's limit of 2 MiB/s, each moving."""
        ids = [self.daemon.api("POST", "/jobs", source, expect=201)["id"] for source in sources]
        sampler = Sampler([self.work_dir(i) for i in ids]).run(8)
        self.assert_holds(sampler, 2 * MiB, 1.0, 8.0)
        for i in ids:  # one does not take the whole of it
            self.assertGreater(bytes_on_disk(self.work_dir(i)), 2 * MiB)


class HttpLimitsTest(DaemonTest, LimitCase):
    def test_a_jobs_limit_holds_and_follows_a_change(self):
        self.add_file("big.bin", 40 * MiB)
        self.daemon.start()
        self.assert_job_limit_holds_and_follows_a_change({"url": self.http.url("big.bin")})

    def test_the_engines_limit_holds_for_all_jobs_together(self):
        self.add_file("a.bin", 20 * MiB)
        self.add_file("b.bin", 20 * MiB)
        self.daemon.config = self.config_file("engine_http:\n  download_rate_limit: %d\n" % (2 * MiB))
        self.daemon.start()
        self.assert_engine_limit_holds([{"url": self.http.url(n)} for n in ("a.bin", "b.bin")])


class TorrentLimitCase(BitTorrentCase, LimitCase):
    def seeded(self, name, size):
        self.add_file(name, size)
        return {"magnet": self.seed(os.path.join(self.www, name)).magnet}


class TorrentLimitsTest(TorrentLimitCase):
    def test_a_jobs_limit_holds_and_follows_a_change(self):
        self.assert_job_limit_holds_and_follows_a_change(self.seeded("big.bin", 40 * MiB))


class TorrentEngineLimitTest(TorrentLimitCase):
    extra_config = "  download_rate_limit: %d\n" % (2 * MiB)

    def test_the_engines_limit_holds_for_all_jobs_together(self):
        self.assert_engine_limit_holds([self.seeded(n, 20 * MiB) for n in ("a.bin", "b.bin")])


if __name__ == "__main__":
    unittest.main()
