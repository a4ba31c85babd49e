"""Scanning in a fleet: the controller's scan.enabled decides, each agent scans with its own
scanner (a real clamd here) before it uploads; an infected download is never stored."""
import os
import unittest

from fleet_support import FleetCase
from harness import sha256_file, wait_for
from scan_support import FOUND_NAME, Clamd, write_infected

MB = 1 << 20


class FleetScanTest(FleetCase):
    scan = True

    def setUp(self):
        super().setUp()
        self.clamd = Clamd(self.tmp, stream_max="4M")
        self.addCleanup(self.clamd.stop)

    def statuses(self, job_id):
        return [d["status"] for d in self.daemon.timeline(job_id, "status")]

    def test_an_agent_scans_clean_files_in_and_keeps_infected_ones_out(self):
        agent = self.start_agent("scan-1", extra="scanner_clamav:\n  socket: %s\n" % self.clamd.socket)
        self.assertIn("scanner-clamav", self.fleet()[agent.agent_id]["capabilities"]["scanners"])
        self.assertRegex(self.cli("admin", "fleet", "ls").stdout, r"scan-1 .*engine-http\S*\s+scanner-clamav\s*$")
        clean = self.add_file("clean.bin", 2 * MB)
        write_infected(os.path.join(self.http.root, "bad.bin"), 2 * MB)
        clean_id, bad_id = self.add_url_job("/clean.bin"), self.add_url_job("/bad.bin")

        job = self.daemon.wait_status(clean_id, "completed", timeout=60)
        self.assertEqual((job["scanStatus"], job["scanDetail"]), ("clean", None))
        self.assertEqual(self.statuses(clean_id)[-4:], ["downloading", "scanning", "uploading", "completed"])
        self.assertEqual([d["scanStatus"] for d in self.daemon.timeline(clean_id, "scan_result")], ["clean"])
        stored = os.path.join(self.tmp, "shared", job["userId"], clean_id, "files", "clean.bin")
        self.assertEqual(sha256_file(stored), sha256_file(clean))

        job = self.daemon.wait_status(bad_id, "failed", timeout=60)
        self.assertEqual((job["scanStatus"], job["scanDetail"]), ("infected", FOUND_NAME))
        self.assertIn(FOUND_NAME, job["error"])
        self.assertEqual(self.statuses(bad_id)[-2:], ["scanning", "failed"])
        found = self.daemon.timeline(bad_id, "scan_result")
        self.assertEqual([(d["scanStatus"], d["detail"], d["file"]) for d in found], [("infected", FOUND_NAME, "bad.bin")])
        # Nothing of it is kept: not in the shared storage, not on the agent, not offered.
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "shared", job["userId"], bad_id)))
        offered = self.daemon.api("GET", "/jobs/%s/files" % bad_id, expect=200)["files"]
        self.assertEqual([f for f in offered if f["id"] is not None], [])
        wait_for(lambda: self.assignments() == {}, 10, "both runs to end on the agent")
        self.assertFalse(os.path.exists(os.path.join(agent.data_dir, "downloads", bad_id)))
        self.assertEqual(self.daemon.db_count("files"), 1)

    def test_an_agent_without_a_scanner_stores_unscanned_and_says_so(self):
        agent = self.start_agent("plain-1", extra="plugins:\n  disabled: [scanner-clamav]\n")
        self.assertEqual(self.fleet()[agent.agent_id]["capabilities"]["scanners"], [])
        self.assertRegex(self.cli("admin", "fleet", "ls").stdout, r"plain-1 .*engine-http\S*\s+-\s*$")
        self.add_file("plain.bin", MB)
        job_id = self.add_url_job("/plain.bin")
        job = self.daemon.wait_status(job_id, "completed", timeout=60)
        self.assertEqual(job["scanStatus"], "error")
        self.assertIn("no virus scanner plugin is loaded", job["scanDetail"])
        warnings = [d["message"] for d in self.daemon.timeline(job_id, "warning")]
        self.assertTrue(any("not scanned for viruses" in w for w in warnings), warnings)
        self.assertIn("no scanner plugin is loaded here", agent.read_log())


if __name__ == "__main__":
    unittest.main()
