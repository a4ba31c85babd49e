"""Torrents that say what is wrong: tracker errors, missing metadata, no peers and stalls become
`notice` events and show up in `tseeder show`; trackers, peers and reannounce work on a running
torrent; a URL job waiting to retry says why and when."""
import json
import os
import signal
import unittest

from harness import DaemonTest, free_port, wait_for
from test_bittorrent import BitTorrentCase

MiB = 1024 * 1024



class TorrentDiagnosticsTest(BitTorrentCase):
    extra_config = "  notice_after_s: 2\n"

    def notices(self, job_id):
        return self.daemon.timeline(job_id, "notice")

    def test_a_failing_tracker_and_missing_metadata_are_told(self):
        tracker = "http://127.0.0.1:%d/announce" % free_port()
        magnet = "magnet:?xt=urn:btih:%s&dn=nobody-has-it&tr=%s" % ("ab" * 20, tracker)
        job = self.daemon.api("POST", "/jobs", {"magnet": magnet}, expect=201)
        kinds = wait_for(lambda: {n["kind"] for n in self.notices(job["id"])} >= {"tracker_error", "no_metadata"}
                         and {n["kind"] for n in self.notices(job["id"])}, 30, "a tracker error and no metadata")
        self.assertNotIn("no_peers", kinds)  # without metadata it is the metadata that is missing
        told = {n["kind"]: n["message"] for n in self.notices(job["id"])}
        self.assertIn("tracker %s failed: " % tracker, told["tracker_error"])
        self.assertIn("no metadata after 2 s", told["no_metadata"])
        # Each is told once, not on every report.
        self.assertEqual(len([n for n in self.notices(job["id"]) if n["kind"] == "no_metadata"]), 1)

        r = self.cli("show", job["id"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("infohash: " + "ab" * 20, r.stdout)
        self.assertIn("notice:", r.stdout)
        self.assertIn("no metadata after 2 s", r.stdout)
        self.assertIn(tracker, r.stdout)  # the trackers, live
        r = self.cli("--json", "trackers", job["id"][:6])
        self.assertEqual(r.returncode, 0, r.stderr)
        entry = json.loads(r.stdout)["trackers"][0]
        self.assertEqual((entry["url"], entry["status"]), (tracker, "error"), entry)
        self.assertTrue(entry["message"])
        self.assertEqual(self.cli("reannounce", job["id"]).returncode, 0)
        r = self.cli("peers", job["id"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0 peer(s)", r.stdout)

    def test_the_peers_of_a_running_download(self):
        src = self.add_file("content/slow.bin", 16 * MiB)
        seeder = self.seed(src, upload_limit=MiB)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.daemon.wait_downloaded(job["id"], 1, timeout=60)
        r = self.cli("--json", "peers", job["id"])
        self.assertEqual(r.returncode, 0, r.stderr)
        peers = json.loads(r.stdout)["peers"]
        self.assertEqual(len(peers), 1, peers)
        self.assertTrue(peers[0]["address"].startswith("127.0.0.1:"), peers)
        self.assertTrue(peers[0]["seed"], peers)
        # Stopped, a job has no live details: 409, exit 6, saying why.
        self.daemon.api("POST", "/jobs/%s/pause" % job["id"], expect=200)
        r = self.cli("peers", job["id"])
        self.assertEqual(r.returncode, 6)
        self.assertIn("is paused: trackers and peers are known while it downloads or seeds", r.stderr)

    def test_no_peers_is_told(self):
        src = self.add_file("content/gone.bin", 4 * MiB)
        seeder = self.seed(src, upload_limit=256 * 1024)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.daemon.wait_downloaded(job["id"], 1, timeout=60)
        seeder.stop()  # the only peer goes away mid-download
        wait_for(lambda: any(n["kind"] == "no_peers" for n in self.notices(job["id"])), 30, "a no-peers notice")
        told = next(n for n in self.notices(job["id"]) if n["kind"] == "no_peers")
        self.assertIn("no peers for 2 s", told["message"])


    def test_a_stall_is_told(self):
        src = self.add_file("content/stuck.bin", 8 * MiB)
        seeder = self.seed(src, upload_limit=512 * 1024)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.daemon.wait_downloaded(job["id"], 1, timeout=60)
        # The peer stays connected but sends nothing: stopped, not gone.
        os.kill(seeder.proc.pid, signal.SIGSTOP)
        self.addCleanup(lambda: seeder.proc.poll() is None and os.kill(seeder.proc.pid, signal.SIGCONT))
        wait_for(lambda: any(n["kind"] == "stalled" for n in self.notices(job["id"])), 30, "a stalled notice")
        told = next(n for n in self.notices(job["id"]) if n["kind"] == "stalled")
        self.assertIn("no data for 2 s although 1 peers are connected", told["message"])
        os.kill(seeder.proc.pid, signal.SIGCONT)


class UrlRetryTest(DaemonTest):

    def test_a_url_job_waiting_to_retry_says_why_and_when(self):
        self.daemon.config = self.config_file("jobs:\n  retry_base_ms: 600000\n")
        self.daemon.start()
        job = self.daemon.api("POST", "/jobs", {"url": "http://127.0.0.1:%d/file.bin" % free_port()}, expect=201)
        got = wait_for(lambda: (lambda j: j if j["retry"] else None)(self.daemon.job(job["id"])), 30,
                       "the job to wait for its retry")
        self.assertEqual(got["status"], "queued")
        self.assertEqual(got["retry"]["attempt"], 1)
        self.assertIn("attempt 1 failed", got["retry"]["lastError"])
        self.assertRegex(got["retry"]["nextAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        r = self.cli("show", job["id"])
        self.assertRegex(r.stdout, r"(?m)^retry:    attempt 2 at \d{4}-\d\d-\d\d \d\d:\d\d UTC; attempt 1 failed: ")
        r = self.cli("trackers", job["id"])
        self.assertEqual(r.returncode, 6)
        self.assertIn("is not a BitTorrent job", r.stderr)


if __name__ == "__main__":
    unittest.main()
