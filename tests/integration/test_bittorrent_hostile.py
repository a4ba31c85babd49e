"""A torrent whose file names try to leave the job's directory ('..', absolute paths,
backslashes, control characters, overlong names, a drive letter, a hostile torrent name):
by magnet (names from the network) and by .torrent upload, nothing lands outside the job's
own directories, and what is stored and served keeps safe names."""
import base64
import json
import os
import subprocess
import unittest

from harness import PYTHON, tree_digests, wait_for
from test_bittorrent import BitTorrentCase

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools")


class HostileSeedCase(BitTorrentCase):
    """Seeds one of hostile_torrent.py's sets; `self.made_files` lists its files."""
    names = "escape"

    def setUp(self):
        super().setUp()
        self.made = os.path.join(self.tmp, "hostile")
        data = os.path.join(self.made, "data")
        os.makedirs(data)
        self.torrent = os.path.join(self.made, "t.torrent")
        out = subprocess.run([PYTHON, os.path.join(TOOLS, "hostile_torrent.py"), "--torrent-out", self.torrent,
                              "--data-dir", data, "--names", self.names], check=True, timeout=60,
                             capture_output=True, text=True)
        self.made_files = json.loads(out.stdout)
        seed_dir = os.path.join(self.made, "seed")
        os.makedirs(seed_dir)
        self.seeder_proc = subprocess.Popen(
            [PYTHON, os.path.join(TOOLS, "bt_seeder.py"), "--content", data, "--torrent-in", self.torrent,
             "--torrent-out", os.path.join(seed_dir, "t.torrent"), "--magnet-out", os.path.join(seed_dir, "magnet"),
             "--port-file", os.path.join(seed_dir, "port")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: (self.seeder_proc.kill(), self.seeder_proc.wait(timeout=10)))
        wait_for(lambda: os.path.exists(os.path.join(seed_dir, "port")), 60, "the seeder")
        with open(os.path.join(seed_dir, "magnet")) as f:
            self.magnet = f.read().strip()


class HostileTorrentTest(HostileSeedCase):
    def setUp(self):
        super().setUp()
        self.expected = {f["size"]: f["sha256"] for f in self.made_files}

    def escaped_files(self, job_id):
        """Files named escape-* anywhere under the test's temp dir or /tmp, other than the
        seeder's own copy, the job's stored files and the copy `tseeder get` fetched."""
        allowed = [os.path.join(self.made, ""), os.path.join(self.daemon.data_dir, "storage", "local", job_id, ""),
                   os.path.join(self.tmp, "get-" + job_id, "")]
        found = []
        for top in (self.tmp, "/tmp"):
            for root, dirs, names in os.walk(top):
                if top == "/tmp" and root == "/tmp":
                    dirs[:] = []  # /tmp itself is where an absolute path would land; its subdirs are others'
                for n in names:
                    full = os.path.join(root, n)
                    if "escape" in n and not any(full.startswith(a) for a in allowed):
                        found.append(full)
        return found

    def check_stored(self, job_id):
        files = self.daemon.api("GET", "/jobs/%s/files" % job_id, expect=200)["files"]
        self.assertEqual(len(files), len(self.expected))
        for f in files:
            parts = f["path"].split("/")
            self.assertFalse(f["path"].startswith("/"), f["path"])
            self.assertNotIn("..", parts, f["path"])
            self.assertNotIn("\\", f["path"])
            self.assertFalse(any(ord(c) < 0x20 for c in f["path"]), f["path"])
            self.assertTrue(all(0 < len(p.encode()) <= 255 for p in parts), f["path"])
        out = os.path.join(self.tmp, "get-" + job_id)
        r = self.cli("get", job_id, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        got = {}
        for rel, digest in tree_digests(out).items():
            full = os.path.join(out, rel)
            self.assertTrue(os.path.realpath(full).startswith(os.path.realpath(out) + os.sep))
            got[os.path.getsize(full)] = digest
        self.assertEqual(got, self.expected)

    def test_names_from_a_magnet_stay_inside_the_job(self):
        job = self.daemon.api("POST", "/jobs", {"magnet": self.magnet}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=90)
        self.assertEqual(done["status"], "completed", done)
        self.assertNotIn("..", done["name"])
        self.check_stored(job["id"])
        self.assertEqual(self.escaped_files(job["id"]), [])

    def test_names_from_an_uploaded_torrent_stay_inside_the_job(self):
        with open(self.torrent, "rb") as f:
            body = {"torrent": base64.b64encode(f.read()).decode()}
        job = self.daemon.api("POST", "/jobs", body, expect=201)
        self.assertNotIn("..", job["name"])
        self.assertFalse(job["name"].startswith("/"))
        # A .torrent names no peers: hand the seeder over by magnet with the same infohash;
        # the job for it is the uploaded one (same user, same content).
        again = self.daemon.request("POST", "/jobs", body={"magnet": self.magnet})
        self.assertEqual((again.status, again.json()["id"]), (200, job["id"]))
        self.daemon.api("POST", "/jobs/%s/cancel" % job["id"], expect=200)
        self.assertEqual(self.escaped_files(job["id"]), [])


class CollidingNamesTest(HostileSeedCase):
    """Names that differ on disk but are the same once sanitized (reserved characters, trailing
    dots and spaces, leading dots, invalid UTF-8, case, a file named like a directory), with data
    and zero-length: every file is stored under a name of its own, and a restart finds the
    daemon well and the job as it was."""
    names = "collide"

    def test_every_file_is_stored_under_its_own_name_and_the_daemon_stays_up(self):
        job = self.daemon.api("POST", "/jobs", {"magnet": self.magnet}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=90)
        self.assertEqual(done["status"], "completed", done)
        files = self.daemon.api("GET", "/jobs/%s/files" % job["id"], expect=200)["files"]
        paths = [f["path"] for f in files]
        self.assertEqual(len(paths), len(self.made_files))
        folded = set(p.lower() for p in paths)
        self.assertEqual(len(folded), len(paths), paths)  # unique, even where case does not count
        dirs = set(p.rsplit("/", 1)[0].lower() for p in paths if "/" in p)
        self.assertEqual(folded & dirs, set(), "a file is named like a directory: %s" % sorted(folded & dirs))
        self.assertTrue(all(f.get("id") for f in files), files)  # every one stored
        # Every file, byte for byte: nothing stored overwrote another.
        self.check_fetched(job["id"])
        # The names listed before completion (metadata_ready) are the names stored.
        listed = self.daemon.timeline(job["id"], "metadata_ready")[-1]["files"]
        self.assertEqual(sorted(f["path"] for f in listed), sorted(paths))

        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(self.daemon.job(job["id"])["status"], "completed")
        self.assertEqual(self.daemon.api("GET", "/health", expect=200)["status"], "ok")
        self.check_fetched(job["id"])

    def check_fetched(self, job_id):
        out = os.path.join(self.tmp, "get-%s-%d" % (job_id, len(os.listdir(self.tmp))))
        r = self.cli("get", job_id, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        got = sorted((os.path.getsize(os.path.join(out, rel)), digest) for rel, digest in tree_digests(out).items())
        self.assertEqual(got, sorted((f["size"], f["sha256"]) for f in self.made_files))


if __name__ == "__main__":
    unittest.main()
