"""Finished downloads go scanning → uploading → completed, with a real clamd or clamscan."""
import json
import os
import unittest

from harness import Daemon, DaemonTest, wait_for
from scan_support import FOUND_NAME, Clamd, make_signature_db, write_infected


def statuses(events):
    return [d["status"] for _, k, d in events if k == "status"]


class ScanCase(DaemonTest):
    def start_with(self, yaml_text):
        conf = os.path.join(self.tmp, "tseederd.yaml")
        with open(conf, "w") as f:
            f.write(yaml_text)
        self.daemon = Daemon(os.path.join(self.tmp, "var"), config=conf)
        self.daemon.start()

    def add_job(self, name):
        return self.daemon.api("POST", "/jobs", {"url": self.http.url(name)}, expect=201)["id"]

    def stored_ids(self, job_id):
        files = self.daemon.api("GET", "/jobs/%s/files" % job_id, expect=200)["files"]
        return [f["id"] for f in files if f["id"] is not None]

    def job_storage(self, job_id):
        job = self.daemon.job(job_id)
        return os.path.join(self.daemon.data_dir, "storage", job["userId"], job_id)

    def stored_events(self, job_id):
        """(type, data) of the job's timeline from the database; the SSE stream of a failed job
        stays open (it may be retried)."""
        return self.daemon.timeline(job_id)

    def assert_infected_and_gone(self, job_id):
        job = self.daemon.wait_status(job_id, "failed", timeout=60)
        self.assertEqual(job["scanStatus"], "infected")
        self.assertIn(FOUND_NAME, job["error"])
        self.assertEqual(job["scanDetail"], FOUND_NAME)
        # Nothing of it is kept or offered.
        self.assertEqual(self.stored_ids(job_id), [])
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job_id)))
        self.assertFalse(os.path.exists(self.job_storage(job_id)))
        events = self.stored_events(job_id)
        self.assertEqual([d["status"] for k, d in events if k == "status"][-2:], ["scanning", "failed"])
        found = [d for k, d in events if k == "scan_result"]
        self.assertEqual(found[-1]["scanStatus"], "infected")
        self.assertEqual(found[-1]["detail"], FOUND_NAME)
        return job


def health_check(daemon, name):
    r = daemon.socket_request("GET", "/admin/health")
    assert r.status == 200, r.body
    return next(c for c in r.json()["checks"] if c["name"] == name)


class ClamdTest(ScanCase):
    def setUp(self):
        super().setUp()
        self.clamd = Clamd(self.tmp, stream_max="4M")
        self.addCleanup(self.clamd.stop)
        self.start_with("scanner_clamav:\n  socket: %s\n" % self.clamd.socket)

    def test_clean_download_is_scanned_then_stored(self):
        self.add_file("clean.bin", 3 * 1024 * 1024)
        job_id = self.add_job("clean.bin")
        job = self.daemon.wait_status(job_id, "completed", timeout=60)
        self.assertEqual(job["scanStatus"], "clean")
        self.assertIsNone(job["scanDetail"])
        _, events = self.daemon.events(job_id, timeout=10)
        self.assertEqual(statuses(events)[-4:], ["downloading", "scanning", "uploading", "completed"])
        self.assertEqual([d["scanStatus"] for _, k, d in events if k == "scan_result"], ["clean"])
        self.assertEqual(len(self.stored_ids(job_id)), 1)
        # metadata.json lies beside the files, naming them and the scan.
        with open(os.path.join(self.job_storage(job_id), "metadata.json")) as f:
            meta = json.load(f)
        self.assertEqual(meta["jobId"], job_id)
        self.assertEqual(meta["scanStatus"], "clean")
        self.assertEqual([x["path"] for x in meta["files"]], ["clean.bin"])
        self.assertEqual(meta["files"][0]["size"], 3 * 1024 * 1024)
        # The health view scans a probe file of its own, and leaves nothing behind.
        scanner = health_check(self.daemon, "scanner")
        self.assertEqual((scanner["status"], scanner["reason"]), ("ok", "scanner-clamav answers"), scanner)
        self.assertEqual([n for n in os.listdir(self.daemon.data_dir) if n.startswith("health-probe")], [])

    def test_infected_download_fails_with_the_signature_and_is_deleted(self):
        write_infected(os.path.join(self.www, "bad.bin"), 2 * 1024 * 1024)
        job_id = self.add_job("bad.bin")
        self.assert_infected_and_gone(job_id)
        shown = self.cli("show", job_id)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertIn("scan:     infected (%s)" % FOUND_NAME, shown.stdout)

    def test_file_larger_than_clamd_takes_is_stored_with_scan_error_and_a_warning(self):
        # clamd stops reading past StreamMaxLength and closes mid-send: the job is not lost.
        self.add_file("huge.bin", 9 * 1024 * 1024)
        job_id = self.add_job("huge.bin")
        job = self.daemon.wait_status(job_id, "completed", timeout=60)
        self.assertEqual(job["scanStatus"], "error")
        self.assertIn("size limit", job["scanDetail"])
        _, events = self.daemon.events(job_id, timeout=10)
        warnings = [d for _, k, d in events if k == "warning"]
        self.assertEqual(len(warnings), 1)
        self.assertIn("not scanned", warnings[0]["message"])
        self.assertEqual(len(self.stored_ids(job_id)), 1)


class ClamscanFallbackTest(ScanCase):
    def setUp(self):
        super().setUp()
        self.db = make_signature_db(os.path.join(self.tmp, "signatures"))
        self.start_with("scanner_clamav:\n  database: %s\n" % self.db)

    def test_without_clamd_clamscan_finds_and_clears(self):
        write_infected(os.path.join(self.www, "bad.bin"), 300 * 1024)
        self.add_file("good.bin", 300 * 1024)
        bad = self.add_job("bad.bin")
        good = self.add_job("good.bin")
        self.assert_infected_and_gone(bad)
        self.assertEqual(self.daemon.wait_status(good, "completed", timeout=60)["scanStatus"], "clean")


class NoScannerTest(ScanCase):
    def test_unreachable_clamd_and_no_clamscan_complete_with_scan_error(self):
        self.start_with("scanner_clamav:\n  socket: %s\n  clamscan: ''\n" % os.path.join(self.tmp, "no-clamd.sock"))
        self.add_file("f.bin", 100 * 1024)
        job_id = self.add_job("f.bin")
        job = self.daemon.wait_status(job_id, "completed", timeout=60)
        self.assertEqual(job["scanStatus"], "error")
        self.assertIn("not reachable", job["scanDetail"])
        _, events = self.daemon.events(job_id, timeout=10)
        self.assertEqual(len([1 for _, k, _ in events if k == "warning"]), 1)
        scanner = health_check(self.daemon, "scanner")
        self.assertEqual(scanner["status"], "degraded", scanner)
        self.assertIn("could not scan a plain file", scanner["reason"])

    def test_scanner_plugin_disabled_is_an_error_with_a_warning(self):
        self.start_with("plugins:\n  disabled: [scanner-clamav]\n")
        self.add_file("f.bin", 100 * 1024)
        job = self.daemon.wait_status(self.add_job("f.bin"), "completed", timeout=60)
        self.assertEqual(job["scanStatus"], "error")
        self.assertIn("no virus scanner", job["scanDetail"])

    def test_scanning_turned_off_skips_the_step(self):
        self.start_with("scan:\n  enabled: false\n")
        self.add_file("f.bin", 100 * 1024)
        job_id = self.add_job("f.bin")
        job = self.daemon.wait_status(job_id, "completed", timeout=60)
        self.assertEqual(job["scanStatus"], "skipped")
        _, events = self.daemon.events(job_id, timeout=10)
        self.assertNotIn("scanning", statuses(events))
        self.assertEqual([k for _, k, _ in events if k == "warning"], [])


class StoreRetryTest(ScanCase):
    def test_failed_store_is_retried_from_the_kept_download(self):
        self.start_with("scan:\n  enabled: false\n")
        self.add_file("keep.bin", 2 * 1024 * 1024)
        # A plain file where the user's storage directory must go makes storing fail.
        storage = os.path.join(self.daemon.data_dir, "storage")
        blocker = os.path.join(storage, "local")
        with open(blocker, "w") as f:
            f.write("in the way")
        job_id = self.add_job("keep.bin")

        def failed_once():
            return any("storing files failed" in d.get("reason", "") for k, d in self.stored_events(job_id)
                       if k == "status")
        wait_for(failed_once, 60, "the store to fail once")
        self.assertEqual(self.daemon.job(job_id)["status"], "queued")
        # The finished download is kept for the retry.
        work = os.path.join(self.daemon.data_dir, "downloads", job_id, "keep.bin")
        self.assertEqual(os.path.getsize(work), 2 * 1024 * 1024)
        sent = self.http.stats()["bytes_sent"]
        os.unlink(blocker)
        job = self.daemon.wait_status(job_id, "completed", timeout=60)
        self.assertEqual(self.http.stats()["bytes_sent"], sent)  # not downloaded again
        _, events = self.daemon.events(job_id, timeout=10)
        st = statuses(events)
        self.assertEqual(st[-3:], ["queued", "uploading", "completed"])
        self.assertEqual(st.count("downloading"), 1)
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job_id)))


if __name__ == "__main__":
    unittest.main()
