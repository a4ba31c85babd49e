"""Choosing what a torrent job fetches and how: file selection at creation and while it runs,
priorities, sequential order, per-job rate limits, and .torrent files sent as multipart forms."""
import json
import os
import time
import unittest
import uuid

from harness import sha256_file, tree_digests
from test_bittorrent import BitTorrentCase

MiB = 1024 * 1024


class BitTorrentFilesTest(BitTorrentCase):
    def make_album(self, name, sizes):
        root = os.path.join(self.www, name)
        for i, size in enumerate(sizes):
            self.add_file("%s/track%d.bin" % (name, i), size)
        return root

    def fetched(self, job_id):
        out = os.path.join(self.tmp, "out-" + job_id)
        r = self.cli("get", job_id, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        return tree_digests(out)

    def expected(self, job_id, root, indexes):
        """Digests of the source files the job lists at `indexes` (a torrent orders its files
        its own way), keyed by their path in the job."""
        files = self.daemon.api("GET", "/jobs/%s/files" % job_id, expect=200)["files"]
        base = os.path.dirname(root)
        return {files[i]["path"]: sha256_file(os.path.join(base, files[i]["path"])) for i in indexes}

    def test_files_chosen_at_creation_of_a_torrent_job(self):
        root = self.make_album("pick", [300 * 1024 + i for i in range(6)])
        seeder = self.seed_with_tracker(root)
        before = self.daemon.db_count("jobs")
        for files, why in (([9], "names file 9 but the content has 6"), ([], "non-empty"), ([1, 1], "twice"),
                           ([-1], "whole number"), ("0,1", "non-empty list")):
            with self.subTest(files=files):
                r = self.daemon.request("POST", "/jobs", body={"torrent": seeder.torrent_b64(), "files": files})
                self.assertEqual(r.status, 400, r.body)
                self.assertIn(why, r.json()["error"]["message"])
        self.assertEqual(self.daemon.db_count("jobs"), before)
        job = self.daemon.api("POST", "/jobs", {"torrent": seeder.torrent_b64(), "files": [4, 1, 3]}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=120)
        self.assertEqual(done["status"], "completed", done)
        files = self.daemon.api("GET", "/jobs/%s/files" % job["id"], expect=200)["files"]
        self.assertEqual([f["index"] for f in files], list(range(6)))
        self.assertEqual([f["wanted"] for f in files], [False, True, False, True, True, False])
        self.assertEqual([f["id"] is not None for f in files], [False, True, False, True, True, False])
        self.assertEqual(self.fetched(job["id"]), self.expected(job["id"], root, [1, 3, 4]))

        # Pages by index: each `next` starts after the last file shown; the last page has none.
        pages, link = [], "/jobs/%s/files?limit=4" % job["id"]
        while link:
            page = self.daemon.api("GET", link, expect=200)
            pages.append(page["files"])
            link = page["next"]
        self.assertEqual([[f["index"] for f in p] for p in pages], [[0, 1, 2, 3], [4, 5]])
        self.assertEqual([f for p in pages for f in p], files)
        for bad in ("limit=0", "limit=10001", "after=-2", "after=x"):
            r = self.daemon.request("GET", "/jobs/%s/files?%s" % (job["id"], bad))
            self.assertEqual(r.status, 400, bad)

    def test_files_chosen_at_creation_of_a_magnet_job(self):
        root = self.make_album("magpick", [200 * 1024 + i for i in range(4)])
        seeder = self.seed(root)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet, "files": [0, 2]}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=120)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(self.fetched(job["id"]), self.expected(job["id"], root, [0, 2]))
        _status, events = self.daemon.events(job["id"])
        ready = [data for _id, event, data in events if event == "metadata_ready"][0]
        self.assertEqual([f["wanted"] for f in ready["files"]], [True, False, True, False])

    def test_a_magnet_selection_past_the_file_list_fails_the_job_once_it_is_known(self):
        root = self.make_album("magbad", [100 * 1024, 100 * 1024])
        seeder = self.seed(root)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet, "files": [0, 7]}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=120)
        self.assertEqual(done["status"], "failed")
        self.assertIn("asked for file 7 but the content has 2", done["error"])

    def test_selection_and_priority_change_while_downloading(self):
        root = self.make_album("live", [6 * MiB, 6 * MiB + 1, 6 * MiB + 2])
        seeder = self.seed(root, upload_limit=3 * MiB)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        path = "/jobs/%s/files" % job["id"]
        self.daemon.wait_status(job["id"], "downloading", timeout=60)
        for body, why in (({"files": [{"index": 3, "wanted": False}]}, "file 3 does not exist"),
                          ({"files": [{"index": 0}]}, "changes nothing"),
                          ({"files": [{"index": 0, "priority": "urgent"}]}, "low, normal or high"),
                          ({"files": [{"index": i, "wanted": False} for i in range(3)]}, "at least one file"),
                          ({"files": [{"index": 0, "wanted": False}, {"index": 0, "wanted": True}]}, "twice"),
                          ({"wanted": [0]}, "unknown field")):
            with self.subTest(body=body):
                r = self.daemon.request("PATCH", path, body=body)
                self.assertEqual(r.status, 400, r.body)
                self.assertIn(why, r.json()["error"]["message"])
        self.assertTrue(all(f["wanted"] for f in self.daemon.api("GET", path, expect=200)["files"]))
        files = self.daemon.api("PATCH", path, {"files": [{"index": 1, "wanted": False},
                                                          {"index": 2, "priority": "high"}]}, expect=200)["files"]
        self.assertEqual([(f["wanted"], f["priority"]) for f in files],
                         [(True, "normal"), (False, "skip"), (True, "high")])
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=120)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(self.fetched(job["id"]), self.expected(job["id"], root, [0, 2]))
        _status, events = self.daemon.events(job["id"])
        self.assertIn("files_changed", [event for _id, event, _data in events])
        # Stored files stay with the job (test_more_files fetches more after completion).
        r = self.daemon.request("PATCH", path, body={"files": [{"index": 0, "wanted": False}]})
        self.assertEqual(r.status, 409, r.body)
        self.assertIn("stored already", r.json()["error"]["message"])

    def test_cli_files_and_select(self):
        root = self.make_album("cli", [4 * MiB, 4 * MiB + 1, 4 * MiB + 2, 1000, 2000, 3000])
        seeder = self.seed(root, upload_limit=2 * MiB)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.daemon.wait_status(job["id"], "downloading", timeout=60)
        r = self.cli("select", job["id"], "0,3-5")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.cli("--json", "files", job["id"])
        self.assertEqual([f["wanted"] for f in json.loads(r.stdout)["files"]],
                         [True, False, False, True, True, True])
        r = self.cli("files", job["id"])
        self.assertRegex(r.stdout, r"(?m)^\s*1\s+skip\s")
        self.assertEqual(self.cli("select", job["id"], "5-3").returncode, 2)
        bad = self.cli("select", job["id"], "0,99")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("file 99 does not exist", bad.stderr)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=120)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(self.fetched(job["id"]), self.expected(job["id"], root, [0, 3, 4, 5]))

    def test_rate_limit_of_a_job_holds_and_can_be_lifted(self):
        size = 24 * MiB
        src = self.add_file("content/limited.bin", size)
        seeder = self.seed(src)
        limit = 2 * MiB
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet, "downloadLimit": limit}, expect=201)
        self.assertEqual(job["options"], {"sequential": False, "downloadLimit": limit, "uploadLimit": 0})
        self.daemon.wait_downloaded(job["id"], 1, timeout=60)
        start_bytes, start = self.daemon.job(job["id"])["progress"]["bytesDone"], time.monotonic()
        time.sleep(3)  # measuring a rate needs an interval; the bound below does not depend on its length
        got = self.daemon.job(job["id"])["progress"]["bytesDone"] - start_bytes
        elapsed = time.monotonic() - start
        # libtorrent's limiter allows a burst of about one second's quota, plus in-flight blocks.
        self.assertLess(got, limit * (elapsed + 2), (got, elapsed))
        self.assertEqual(self.daemon.job(job["id"])["status"], "downloading")
        patched = self.daemon.api("PATCH", "/jobs/" + job["id"], {"downloadLimit": 0}, expect=200)
        self.assertEqual(patched["options"]["downloadLimit"], 0)
        for body in ({"downloadLimit": -1}, {"downloadLimit": 1.5}, {"sequential": "yes"}, {"speed": 1}):
            self.assertEqual(self.daemon.request("PATCH", "/jobs/" + job["id"], body=body).status, 400, body)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=60)
        self.assertEqual(done["status"], "completed", done)
        self.fetch_and_compare(job["id"], src)

    def test_sequential_download_fills_the_file_from_its_start(self):
        size = 32 * MiB
        src = self.add_file("content/movie.bin", size)
        seeder = self.seed(src, upload_limit=4 * MiB)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet, "sequential": True}, expect=201)
        self.assertTrue(job["options"]["sequential"])
        self.daemon.wait_downloaded(job["id"], size * 0.4, timeout=90)
        partial = os.path.join(self.daemon.data_dir, "downloads", job["id"], "movie.bin")
        head = size // 4
        with open(partial, "rb") as got, open(src, "rb") as want:
            self.assertEqual(got.read(head), want.read(head), "the first quarter is not all there at 40%")
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=120)
        self.assertEqual(done["status"], "completed", done)

    def test_torrent_as_multipart_upload(self):
        root = self.make_album("form", [150 * 1024 + i for i in range(3)])
        seeder = self.seed_with_tracker(root)
        with open(seeder.torrent, "rb") as f:
            torrent = f.read()
        boundary = uuid.uuid4().hex

        def form(fields):
            body = b""
            for name, value, filename in fields:
                disp = 'form-data; name="%s"' % name + ('; filename="%s"' % filename if filename else "")
                body += b"--" + boundary.encode() + b"\r\nContent-Disposition: " + disp.encode() + b"\r\n"
                if filename:
                    body += b"Content-Type: application/x-bittorrent\r\n"
                body += b"\r\n" + value + b"\r\n"
            return body + b"--" + boundary.encode() + b"--\r\n"

        ctype = {"Content-Type": "multipart/form-data; boundary=" + boundary}
        before = self.daemon.db_count("jobs")
        for fields, why in (([("torrent", b"garbage", "x.torrent")], "torrent"),
                            ([("torrent", torrent[:len(torrent) // 2], "cut.torrent")], "truncated"),
                            ([("torrent", torrent + b" " * (4 * 1024 * 1024), "big.torrent")], "larger than 4 MiB"),
                            ([("torrent", torrent, "t.torrent"), ("files", b"0,9", None)], "names file 9"),
                            ([("torrent", torrent, "t.torrent"), ("torrent", torrent, "t.torrent")], "twice"),
                            ([("torrent", torrent, "t.torrent"), ("color", b"red", None)], "unknown field")):
            with self.subTest(why=why):
                r = self.daemon.request("POST", "/jobs", raw_body=form(fields), headers=ctype)
                self.assertEqual(r.status, 400, r.body)
                self.assertIn(why, r.json()["error"]["message"])
        r = self.daemon.request("POST", "/jobs", raw_body=b"--" + boundary.encode() + b"\r\nbroken", headers=ctype)
        self.assertEqual(r.status, 400, r.body)
        self.assertIn("multipart body is malformed", r.json()["error"]["message"])
        self.assertEqual(self.daemon.db_count("jobs"), before)
        r = self.daemon.request("POST", "/jobs", headers=ctype,
                                raw_body=form([("torrent", torrent, "t.torrent"), ("files", b"0,2", None)]))
        self.assertEqual(r.status, 201, r.body)
        job = r.json()
        self.assertEqual(job["sourceKind"], "torrent")
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=120)
        self.assertEqual(done["status"], "completed", done)
        self.assertEqual(self.fetched(job["id"]), self.expected(job["id"], root, [0, 2]))


if __name__ == "__main__":
    unittest.main()
