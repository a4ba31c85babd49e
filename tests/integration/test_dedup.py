"""Dedup and instant availability: content another account's job already stores completes at once
for the next account, sharing the stored objects (deleting one job never deletes what another
still names) and counting against each account's storage; content still downloading is followed
live instead of fetched twice; a URL is known by URL, size and validator; the same account adding
the same content again gets its job back."""
import hashlib
import os
import sqlite3
import threading
import unittest

from accounts_support import AccountsCase
from harness import make_random_file, sha256_file, wait_for
from test_bittorrent import BT_CONFIG, Seeder, seed_with_tracker
from test_quotas import NO_LIMITS

KB = 1000


class DedupCase(AccountsCase):
    config_lines = NO_LIMITS + tuple((BT_CONFIG % 0).splitlines())

    def setUp(self):
        super().setUp()
        self.keys = {}
        for who in ("ann", "bob"):
            self.add_user(who + "@example.com", plan="pro")
            self.keys[who] = self.api_key_for(who + "@example.com")

    def seed(self, name, size, upload_limit=0):
        content = os.path.join(self.tmp, "content-" + name, name)
        os.makedirs(os.path.dirname(content))
        make_random_file(content, size)
        s = Seeder(content, os.path.join(self.tmp, "seed-" + name), upload_limit=upload_limit)
        self.addCleanup(s.stop)
        return s, content

    def add(self, who, body, expect=201):
        r = self.as_key(self.keys[who], "POST", "/jobs", body)
        self.assertEqual(r.status, expect, r.body)
        return r.json()

    def job(self, who, job_id):
        r = self.as_key(self.keys[who], "GET", "/jobs/" + job_id)
        self.assertEqual(r.status, 200, r.body)
        return r.json()

    def wait(self, who, job_id, status, timeout=60):
        def reached():
            j = self.job(who, job_id)
            self.assertNotEqual(j["status"], "failed", j)
            return j if j["status"] == status else None
        return wait_for(reached, timeout, "job %s to be %s" % (job_id, status))

    def stored(self, job_id):
        """{path: storage key} of the job's stored files."""
        con = sqlite3.connect(os.path.join(self.daemon.data_dir, "tseeder.db"), timeout=5)
        try:
            return dict(con.execute("SELECT path, storage_key FROM files WHERE job_id = ?", (job_id,)).fetchall())
        finally:
            con.close()

    def object_path(self, key):
        return os.path.join(self.daemon.data_dir, "storage", key)

    def fetch(self, who, job_id):
        """{path: sha256} of every file of the job, fetched through its signed links."""
        files = self.as_key(self.keys[who], "GET", "/jobs/%s/files" % job_id).json()["files"]
        out = {}
        for f in files:
            r = self.as_key(self.keys[who], "GET", "/jobs/%s/files/%d/url" % (job_id, f["id"]))
            self.assertEqual(r.status, 200, r.body)
            got = self.daemon.request("GET", "/" + r.json()["url"].split("/", 3)[3], auth=False, timeout=60)
            self.assertEqual(got.status, 200, got.body[:200])
            out[f["path"]] = hashlib.sha256(got.body).hexdigest()
        return out

    def storage_used(self, who):
        return self.as_key(self.keys[who], "GET", "/usage").json()["storage"]["used"]

    def status_reasons(self, job_id):
        return [d.get("reason", "") for d in self.daemon.timeline(job_id, "status")]

class StoredContentTest(DedupCase):
    def test_a_stored_torrent_completes_at_once_and_is_shared_until_its_last_job_goes(self):
        size = 600 * KB
        seeder, content = self.seed("film.mkv", size)
        ann = self.add("ann", {"magnet": seeder.magnet})
        self.wait("ann", ann["id"], "completed")
        sent = wait_for(lambda: seeder.stats()["uploaded"] >= size and seeder.stats()["uploaded"], 20,
                        "the seeder to count what it sent")
        ann_keys = self.stored(ann["id"])

        bob = self.add("bob", {"magnet": seeder.magnet})
        self.assertEqual(bob["status"], "completed", bob)
        self.assertEqual(self.stored(bob["id"]), ann_keys)  # the same objects, not copies
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", bob["id"])))
        self.assertEqual(seeder.stats()["uploaded"], sent)
        self.assertEqual(self.storage_used("bob"), size)  # shared objects count for every account
        self.assertEqual(self.storage_used("ann"), size)
        reasons = self.status_reasons(bob["id"])
        self.assertIn("the same content is stored on this server already", reasons[-1])
        self.assertFalse(any(ann["id"] in r for r in reasons), reasons)  # another account's job is not named
        want = {"film.mkv": sha256_file(content)}
        self.assertEqual(self.fetch("bob", bob["id"]), want)

        # Ann deletes hers: what Bob's job names stays.
        self.assertEqual(self.as_key(self.keys["ann"], "DELETE", "/jobs/" + ann["id"]).status, 204)
        wait_for(lambda: self.as_key(self.keys["ann"], "GET", "/jobs/" + ann["id"]).status == 404, 10, "the delete")
        for key in ann_keys.values():
            self.assertTrue(os.path.isfile(self.object_path(key)), key)
        self.assertEqual(self.fetch("bob", bob["id"]), want)
        self.assertEqual(self.storage_used("ann"), 0)

        # Bob deletes his, the last job naming them: the objects go.
        self.assertEqual(self.as_key(self.keys["bob"], "DELETE", "/jobs/" + bob["id"]).status, 204)
        for key in ann_keys.values():
            wait_for(lambda: not os.path.exists(self.object_path(key)), 20, "object %s to go" % key)
        self.assertEqual(self.storage_used("bob"), 0)

    def test_the_same_account_adding_the_same_content_again_gets_its_job_back(self):
        seeder, _ = self.seed("album.flac", 200 * KB)
        first = self.add("ann", {"magnet": seeder.magnet})
        again = self.add("ann", {"magnet": seeder.magnet}, expect=200)
        self.assertEqual(again["id"], first["id"])
        jobs = self.as_key(self.keys["ann"], "GET", "/jobs").json()["jobs"]
        self.assertEqual([j["id"] for j in jobs], [first["id"]])

    def test_a_url_with_the_same_size_and_validator_is_shared(self):
        size = 24_000 * KB
        path = self.add_file("iso/disk.img", size)
        ann = self.add("ann", {"url": self.http.url("iso/disk.img")})
        self.wait("ann", ann["id"], "completed")
        sent = self.http.stats()["bytes_sent"]
        self.assertEqual(sent, size)

        bob = self.add("bob", {"url": self.http.url("iso/disk.img")})
        done = self.wait("bob", bob["id"], "completed")
        self.assertEqual(self.stored(bob["id"]), self.stored(ann["id"]))
        # The identity comes with the response headers: the transfer holds there until the daemon
        # has looked, and stops. Only what the kernel buffered on the connection (about 4 MB on
        # loopback) left the server.
        self.assertLess(self.http.stats()["bytes_sent"] - sent, size // 3)
        self.assertEqual(done["progress"]["bytesDone"], size)
        self.assertEqual(self.fetch("bob", bob["id"]), {"disk.img": sha256_file(path)})

        # Changed on the server (new size, new ETag): new content, fetched in full.
        os.truncate(path, size - 1)
        carl = self.add("bob", {"url": self.http.url("iso/disk.img")})
        self.wait("bob", carl["id"], "completed")
        self.assertNotEqual(set(self.stored(carl["id"]).values()), set(self.stored(ann["id"]).values()))


class RunningContentTest(DedupCase):
    def test_a_second_account_follows_a_running_download_live(self):
        size = 1_500 * KB
        seeder, content = self.seed("talk.mp4", size, upload_limit=300 * KB)
        ann = self.add("ann", {"magnet": seeder.magnet})
        wait_for(lambda: (lambda j: j["status"] == "downloading" and 0 < j["progress"]["bytesDone"] < size // 2)(
            self.job("ann", ann["id"])), 60, "ann's download to be under way")

        bob = self.add("bob", {"magnet": seeder.magnet})
        seen = {}
        reader = threading.Thread(target=lambda: seen.update(
            r=self.daemon.events(bob["id"], last_event_id=0, timeout=90, api_key=self.keys["bob"])))
        reader.start()
        self.wait("ann", ann["id"], "completed", timeout=90)
        self.wait("bob", bob["id"], "completed", timeout=30)
        reader.join(timeout=30)
        self.assertFalse(reader.is_alive())
        status, events = seen["r"]
        self.assertEqual(status, 200)

        statuses = [d for _, kind, d in events if kind == "status"]
        self.assertIn("attached to a running download", " ".join(d.get("reason", "") for d in statuses))
        self.assertEqual(statuses[-1]["status"], "completed")
        done = [d["bytesDone"] for _, kind, d in events if kind == "progress"]
        self.assertTrue(any(0 < b < size for b in done), done)  # live figures, not just the end
        self.assertEqual(done, sorted(done))
        self.assertEqual(self.stored(bob["id"]), self.stored(ann["id"]))
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", bob["id"])))
        self.assertLess(seeder.stats()["uploaded"], size * 1.25)  # one copy travelled, not two
        self.assertEqual(self.fetch("bob", bob["id"]), {"talk.mp4": sha256_file(content)})

    def test_a_follower_runs_its_own_download_when_the_shared_one_is_deleted(self):
        size = 1_200 * KB
        seeder, content = self.seed("lecture.mp4", size, upload_limit=200 * KB)
        ann = self.add("ann", {"magnet": seeder.magnet})
        wait_for(lambda: self.job("ann", ann["id"])["status"] == "downloading", 60, "ann's download")
        bob = self.add("bob", {"magnet": seeder.magnet})
        wait_for(lambda: self.job("bob", bob["id"])["status"] == "downloading", 30, "bob to follow")
        self.assertEqual(self.as_key(self.keys["ann"], "DELETE", "/jobs/" + ann["id"]).status, 204)
        self.wait("bob", bob["id"], "completed", timeout=120)
        self.assertTrue(any("running its own" in r for r in self.status_reasons(bob["id"])))
        self.assertEqual(self.fetch("bob", bob["id"]), {"lecture.mp4": sha256_file(content)})


class RunningUrlTest(DedupCase):
    http_rate = 1_000 * KB  # per response

    def test_a_url_being_downloaded_is_followed_once_its_headers_name_it(self):
        size = 3_000 * KB
        path = self.add_file("big.iso", size)
        ann = self.add("ann", {"url": self.http.url("big.iso")})
        wait_for(lambda: (lambda j: j["status"] == "downloading" and j["progress"]["bytesDone"] > 0)(
            self.job("ann", ann["id"])), 30, "ann's download to be under way")
        bob = self.add("bob", {"url": self.http.url("big.iso")})
        wait_for(lambda: self.job("bob", bob["id"])["status"] in ("downloading", "completed"), 30, "bob to follow")
        self.wait("ann", ann["id"], "completed")
        self.wait("bob", bob["id"], "completed", timeout=30)
        self.assertTrue(any("attached to a running download" in r for r in self.status_reasons(bob["id"])))
        self.assertEqual(self.stored(bob["id"]), self.stored(ann["id"]))
        # Bob's request held at its headers and stopped: at most a few throttled chunks of it.
        self.assertLess(self.http.stats()["bytes_sent"], size + size // 5)
        self.assertEqual(self.fetch("bob", bob["id"]), {"big.iso": sha256_file(path)})


class PrivateContentTest(DedupCase):
    """A private torrent stored for one account is shared with another only when that one
    uploads its .torrent, never for its infohash alone; public content still is."""

    def test_a_private_torrent_is_shared_only_with_its_metadata(self):
        content = os.path.join(self.tmp, "content-members", "members.bin")
        os.makedirs(os.path.dirname(content))
        make_random_file(content, 300 * KB)
        seeder = seed_with_tracker(self, content, private=True)
        torrent = seeder.torrent_b64()
        ann = self.add("ann", {"torrent": torrent})
        self.wait("ann", ann["id"], "completed")
        infohash = ann["infohash"]
        self.assertEqual(self.daemon.db_rows("SELECT content_private FROM jobs WHERE id = ?", (ann["id"],)), [(1,)])

        # The infohash alone, as a magnet: no share, no word of anyone else's job.
        bob = self.add("bob", {"magnet": "magnet:?xt=urn:btih:" + infohash})
        self.assertNotEqual(bob["status"], "completed")
        wait_for(lambda: self.job("bob", bob["id"])["status"] == "metadata_fetch", 30, "bob's own download to start")
        self.assertEqual(self.stored(bob["id"]), {})
        words = " ".join(self.status_reasons(bob["id"]))
        for hint in ("stored on this server", "attached", "shared"):
            self.assertNotIn(hint, words)
        self.as_key(self.keys["bob"], "DELETE", "/jobs/" + bob["id"])

        # With the .torrent in hand, the stored files are his at once.
        bob = self.add("bob", {"torrent": torrent})
        self.assertEqual(bob["status"], "completed", bob)
        self.assertEqual(self.stored(bob["id"]), self.stored(ann["id"]))

    def test_a_public_torrent_is_shared_for_its_infohash(self):
        seeder, content = self.seed("open.bin", 200 * KB)
        ann = self.add("ann", {"magnet": seeder.magnet})
        self.wait("ann", ann["id"], "completed")
        self.assertEqual(self.daemon.db_rows("SELECT content_private FROM jobs WHERE id = ?", (ann["id"],)), [(0,)])
        bob = self.add("bob", {"magnet": "magnet:?xt=urn:btih:" + ann["infohash"]})
        self.assertEqual(bob["status"], "completed", bob)


if __name__ == "__main__":
    unittest.main()
