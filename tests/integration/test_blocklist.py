"""The infohash blocklist: staff add and remove entries with a reason (audited); a blocked
infohash is refused at creation (403 BLOCKED), stops the unfinished jobs of it when listed, and
is refused when a magnet's metadata reveals it (a v2-only magnet of a hybrid torrent)."""
import os
import secrets
import unittest
import urllib.parse

import libtorrent as lt

from test_bittorrent import BitTorrentCase

REASON = "takedown notice 2026-114"


class BlocklistTest(BitTorrentCase):
    def block(self, infohash, reason=REASON):
        return self.cli("admin", "blocklist", "add", infohash, "--reason", reason, "--ticket", "T-114")

    def audit(self, action):
        r = self.daemon.socket_request("GET", "/admin/audit?action=" + action)
        return r.json()["entries"]

    def test_staff_block_and_unblock_with_reasons(self):
        h = secrets.token_hex(20)
        magnet = "magnet:?xt=urn:btih:" + h
        r = self.block(h.upper())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("blocked %s; 0 unfinished job(s) stopped" % h, r.stdout)
        r = self.cli("admin", "blocklist", "ls")
        self.assertRegex(r.stdout, r"%s\s+local\s+%s" % (h, REASON))
        self.assertEqual(self.audit("blocklist.add")[0]["detail"]["reason"], REASON)

        r = self.daemon.request("POST", "/jobs", {"magnet": magnet})
        self.assertEqual((r.status, r.json()["error"]["code"]), (403, "BLOCKED"), r.body)
        self.assertEqual(self.daemon.db_count("jobs"), 0)
        r = self.cli("add", magnet)
        self.assertEqual(r.returncode, 8, r.stdout + r.stderr)
        self.assertIn("blocked on this server", r.stderr)

        # Bad input changes nothing.
        self.assertEqual(self.block(h, "short").returncode, 2)
        self.assertEqual(self.block("not-a-hash").returncode, 2)
        r = self.block(h)
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("blocked already", r.stderr)
        entries = self.daemon.socket_request("GET", "/admin/blocklist").json()["entries"]
        self.assertEqual([e["infohash"] for e in entries], [h])

        unblock = ("admin", "blocklist", "rm", h, "--reason", "notice withdrawn by sender")
        self.assertEqual(self.cli(*unblock).returncode, 2)  # lifting a block needs a ticket too
        r = self.cli(*unblock, "--ticket", "T-115")
        self.assertEqual(r.returncode, 0, r.stderr)
        entry = self.audit("blocklist.remove")[0]
        self.assertEqual((entry["target"], entry["detail"]["ticketId"]), ("infohash:" + h, "T-115"))
        self.assertEqual(self.cli(*unblock, "--ticket", "T-115").returncode, 3)
        self.assertEqual(self.daemon.request("POST", "/jobs", {"magnet": magnet}).status, 201)

    def test_the_list_pages_newest_first_with_next_links(self):
        hashes = [secrets.token_hex(20) for _ in range(5)]
        for h in hashes:
            r = self.daemon.socket_request("POST", "/admin/blocklist", {"infohash": h, "reason": REASON, "ticketId": "T-114"})
            self.assertEqual(r.status, 201, r.body)
        seen, path = [], "/admin/blocklist?limit=2"
        while path:
            page = self.daemon.socket_request("GET", path).json()
            self.assertLessEqual(len(page["entries"]), 2)
            seen += [e["infohash"] for e in page["entries"]]
            path = page["next"]
        self.assertEqual(sorted(seen), sorted(hashes))
        times = [e["createdAt"] for e in self.daemon.socket_request("GET", "/admin/blocklist").json()["entries"]]
        self.assertEqual(times, sorted(times, reverse=True))
        r = self.cli("admin", "blocklist", "ls")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sum(h in r.stdout for h in hashes), 5)
        r = self.daemon.socket_request("GET", "/admin/blocklist?offset=2")
        self.assertEqual(r.status, 400, r.body)

    def test_listing_stops_unfinished_jobs_of_the_content(self):
        h = secrets.token_hex(20)
        waiting = self.daemon.api("POST", "/jobs", {"magnet": "magnet:?xt=urn:btih:" + h}, expect=201)
        self.daemon.wait_status(waiting["id"], "metadata_fetch")
        r = self.daemon.socket_request("POST", "/admin/blocklist", {"infohash": h, "reason": REASON, "ticketId": "T-114"})
        self.assertEqual((r.status, r.json()["jobsStopped"]), (201, 1), r.body)
        job = self.daemon.job(waiting["id"])
        self.assertEqual((job["status"], job["errorCode"]), ("failed", "BLOCKED"), job)
        r = self.daemon.request("POST", "/jobs/%s/retry" % job["id"], {})
        self.assertEqual((r.status, r.json()["error"]["code"]), (403, "BLOCKED"), r.body)
        self.assertEqual(self.daemon.job(job["id"])["status"], "failed")

    def test_content_known_only_after_metadata_is_refused_then(self):
        root = os.path.join(self.www, "hybrid")
        for i in range(3):
            self.add_file("hybrid/part%d.bin" % i, 400_000)
        seeder = self.seed(root, version="hybrid")
        hashes = lt.torrent_info(seeder.torrent).info_hashes()
        v1, v2 = str(hashes.v1), str(hashes.v2)
        peers = [p for p in urllib.parse.urlsplit(seeder.magnet).query.split("&") if p.startswith("x.pe=")]
        v2_only = "magnet:?xt=urn:btmh:1220%s&%s" % (v2, "&".join(peers))
        self.assertEqual(self.block(v1).returncode, 0)
        # The magnet names the v2 infohash only: nothing to refuse yet.
        job = self.daemon.api("POST", "/jobs", {"magnet": v2_only}, expect=201)
        self.assertEqual(job["infohash"], v2)
        done = self.daemon.wait_status(job["id"], ["failed", "completed"], timeout=120)
        self.assertEqual((done["status"], done["errorCode"]), ("failed", "BLOCKED"), done)
        self.assertEqual(seeder.stats()["uploaded"], 0)
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job["id"])))


if __name__ == "__main__":
    unittest.main()
