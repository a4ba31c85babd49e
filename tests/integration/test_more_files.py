"""Files of a torrent selected after its job completed: a further round fetches only those and
keeps what the job stored, whether they come by `select`, by PATCH or by adding the same content
again with other files; a cancelled or infected round leaves the job completed with its earlier
files."""
import base64
import os
import unittest

import libtorrent as lt

from harness import DaemonTest, sha256_file, tree_digests
from scan_support import Clamd, write_infected
from test_bittorrent import BT_CONFIG, BitTorrentCase, seed_with_tracker

MiB = 1024 * 1024


class MoreFilesCase:
    """Helpers for a daemon test that has self.daemon, self.www and self.cli."""

    def files(self, job_id):
        return self.daemon.api("GET", "/jobs/%s/files" % job_id, expect=200)["files"]

    def stored_ids(self, job_id):
        return {f["index"]: f["id"] for f in self.files(job_id) if f["id"] is not None}

    def fetched(self, job_id):
        out = os.path.join(self.tmp, "out-%s-%d" % (job_id, len(os.listdir(self.tmp))))
        r = self.cli("get", job_id, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        return tree_digests(out)

    def expected(self, job_id, root, indexes):
        files = self.files(job_id)
        base = os.path.dirname(root)
        return {files[i]["path"]: sha256_file(os.path.join(base, files[i]["path"])) for i in indexes}

    def completed(self, job_id, timeout=120):
        done = self.daemon.wait_status(job_id, ["completed", "failed", "cancelled"], timeout=timeout)
        self.assertEqual(done["status"], "completed", done)
        return done

    def work_dir(self, job_id):
        return os.path.join(self.daemon.data_dir, "downloads", job_id)


class MoreFilesTest(BitTorrentCase, MoreFilesCase):
    def test_files_selected_after_completion_are_fetched_and_the_stored_ones_stay(self):
        root = os.path.join(self.www, "more")
        sizes = [300 * 1024 + i for i in range(4)]
        for i, size in enumerate(sizes):
            self.add_file("more/track%d.bin" % i, size)
        seeder = self.seed_with_tracker(root)
        job = self.daemon.api("POST", "/jobs", {"torrent": seeder.torrent_b64(), "files": [0]}, expect=201)
        jid = job["id"]
        self.completed(jid)
        first = self.stored_ids(jid)
        self.assertEqual(list(first), [0])

        # What a job stored stays with it: selecting fewer files deletes nothing.
        r = self.daemon.request("PATCH", "/jobs/%s/files" % jid, body={"files": [{"index": 0, "wanted": False}]})
        self.assertEqual(r.status, 409, r.body)
        self.assertIn("file 0 is stored already", r.json()["error"]["message"])
        self.assertEqual(self.stored_ids(jid), first)

        # `select` names the files to have; the stored one stays without being named.
        r = self.cli("select", jid, "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        # Back in the queue at once: the request itself reopened it (the round may finish any moment).
        self.assertEqual([d["files"] for d in self.daemon.timeline(jid, "reopened")], [[2]])
        done = self.completed(jid)
        self.assertEqual([f["wanted"] for f in self.files(jid)], [True, False, True, False])
        ids = self.stored_ids(jid)
        self.assertEqual(sorted(ids), [0, 2])
        self.assertEqual(ids[0], first[0])  # the stored file was not fetched or stored again
        self.assertEqual(self.fetched(jid), self.expected(jid, root, [0, 2]))
        files = self.files(jid)
        self.assertEqual(done["progress"]["bytesDone"], files[0]["size"] + files[2]["size"])
        reopened = self.daemon.timeline(jid, "reopened")
        self.assertEqual([d["files"] for d in reopened], [[2]])
        moves = [(d["from"], d["status"]) for d in self.daemon.timeline(jid, "status")]
        self.assertEqual(moves.count(("uploading", "completed")), 2, moves)
        self.assertIn(("completed", "queued"), moves)

        # The same content added again with another file: the same job fetches that one too.
        again = self.daemon.api("POST", "/jobs", {"torrent": seeder.torrent_b64(), "files": [3]}, expect=200)
        self.assertEqual(again["id"], jid)
        self.completed(jid)
        self.assertEqual(sorted(self.stored_ids(jid)), [0, 2, 3])
        self.assertEqual(self.fetched(jid), self.expected(jid, root, [0, 2, 3]))
        # Adding it once more with files it has changes nothing.
        self.assertEqual(self.daemon.api("POST", "/jobs", {"torrent": seeder.torrent_b64(), "files": [0, 3]},
                                         expect=200)["status"], "completed")
        self.assertEqual(len(self.daemon.timeline(jid, "reopened")), 2)

    def test_a_cancelled_round_leaves_the_job_completed_with_its_files(self):
        root = os.path.join(self.www, "cut")
        for i, size in enumerate([200 * 1024, 200 * 1024 + 1, 16 * MiB]):
            self.add_file("cut/part%d.bin" % i, size)
        seeder = self.seed(root, upload_limit=2 * MiB)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        jid = job["id"]
        self.daemon.wait_status(jid, "downloading", timeout=60)
        files = self.files(jid)
        big = max(range(3), key=lambda i: files[i]["size"])
        self.daemon.api("PATCH", "/jobs/%s/files" % jid, {"files": [{"index": big, "wanted": False}]}, expect=200)
        self.completed(jid)
        first = self.stored_ids(jid)
        self.assertEqual(len(first), 2)

        self.daemon.api("PATCH", "/jobs/%s/files" % jid, {"files": [{"index": big, "wanted": True}]}, expect=200)
        self.daemon.wait_downloaded(jid, 1, timeout=60)
        r = self.cli("cancel", jid)
        self.assertEqual(r.returncode, 0, r.stderr)
        job = self.daemon.job(jid)
        self.assertEqual(job["status"], "completed", job)
        self.assertFalse(self.files(jid)[big]["wanted"])
        self.assertEqual(self.stored_ids(jid), first)
        self.assertEqual(job["progress"]["bytesDone"], sum(f["size"] for i, f in enumerate(files) if i != big))
        self.assertFalse(os.path.exists(self.work_dir(jid)))
        self.assertIn("cancelled by user", self.daemon.timeline(jid, "status")[-1]["reason"])
        self.assertEqual(self.fetched(jid), self.expected(jid, root, [i for i in range(3) if i != big]))

        # Selected again, it is fetched after all.
        self.daemon.api("PATCH", "/jobs/%s/files" % jid, {"files": [{"index": big, "wanted": True}]}, expect=200)
        self.completed(jid)
        self.assertEqual(self.fetched(jid), self.expected(jid, root, [0, 1, 2]))


class InfectedRoundTest(DaemonTest, MoreFilesCase):
    """A further round whose file is infected: that file goes, the clean files stored before stay."""

    def setUp(self):
        super().setUp()
        self.clamd = Clamd(self.tmp)
        self.addCleanup(self.clamd.stop)
        cfg = os.path.join(self.tmp, "bt.yaml")
        with open(cfg, "w") as f:
            f.write("scanner_clamav:\n  socket: %s\n" % self.clamd.socket + BT_CONFIG % 0)
        self.daemon.config = cfg
        self.daemon.start()

    def test_an_infected_round_is_deleted_and_the_job_keeps_its_clean_files(self):
        root = os.path.join(self.www, "mixed")
        self.add_file("mixed/a-clean.bin", 300 * 1024)
        write_infected(os.path.join(root, "b-marked.bin"), 300 * 1024)
        seeder = seed_with_tracker(self, root)
        fs = lt.torrent_info(lt.bdecode(base64.b64decode(seeder.torrent_b64()))).files()
        paths = [fs.file_path(i) for i in range(fs.num_files()) if not fs.file_flags(i) & fs.flag_pad_file]
        clean = next(i for i, p in enumerate(paths) if "a-clean" in p)
        job = self.daemon.api("POST", "/jobs", {"torrent": seeder.torrent_b64(), "files": [clean]}, expect=201)
        jid = job["id"]
        self.assertEqual(self.completed(jid)["scanStatus"], "clean")
        first = self.stored_ids(jid)
        self.assertIn("a-clean", self.files(jid)[clean]["path"])

        marked = 1 - clean
        self.daemon.api("PATCH", "/jobs/%s/files" % jid, {"files": [{"index": marked, "wanted": True}]}, expect=200)
        done = self.completed(jid)
        self.assertEqual(done["scanStatus"], "clean")  # what it keeps was scanned clean
        self.assertEqual(self.stored_ids(jid), first)
        self.assertFalse(self.files(jid)[marked]["wanted"])
        self.assertEqual(self.daemon.timeline(jid, "scan_result")[-1]["scanStatus"], "infected")
        self.assertIn("infected", self.daemon.timeline(jid, "status")[-1]["reason"])
        self.assertFalse(os.path.exists(self.work_dir(jid)))
        self.assertEqual(self.fetched(jid), self.expected(jid, root, [clean]))


if __name__ == "__main__":
    unittest.main()
