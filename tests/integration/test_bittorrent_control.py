"""Pause, resume, cancel and delete of BitTorrent jobs in every state, the queue behind
jobs.max_active, the live progress of a torrent (fields, about once a second, tseeder watch), and
seeding that goes on after a restart."""
import os
import secrets
import subprocess
import time
import unittest

import harness
import libtorrent as lt
from harness import free_port, wait_for
from test_bittorrent import BitTorrentCase

MiB = 1024 * 1024


def unreachable_magnet():
    """A magnet whose only peer is a closed port: the job stays in metadata_fetch."""
    return "magnet:?xt=urn:btih:%s&x.pe=127.0.0.1:%d" % (secrets.token_hex(20), free_port())


class Actions:
    """Helpers asserting what an action answers and that a refused one changes nothing."""

    def act(self, job_id, action, expect):
        r = self.daemon.request("POST", "/jobs/%s/%s" % (job_id, action))
        self.assertEqual(r.status, expect, "%s %s: %s" % (action, job_id, r.body))
        return r.json() if r.status == 200 else None

    def refused(self, job_id, *actions):
        before = self.daemon.job(job_id)
        for action in actions:
            r = self.daemon.request("POST", "/jobs/%s/%s" % (job_id, action))
            self.assertEqual(r.status, 409, "%s on a %s job: %s" % (action, before["status"], r.body))
            self.assertIn(before["status"], r.json()["error"]["message"])
        self.assertEqual(self.daemon.job(job_id)["status"], before["status"])

    def deleted(self, job_id):
        r = self.daemon.request("DELETE", "/jobs/" + job_id)
        self.assertEqual(r.status, 204, r.body)
        self.assertEqual(self.daemon.request("GET", "/jobs/" + job_id).status, 404)
        self.assertFalse(os.path.exists(self.work_dir(job_id)))
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "storage", "local", job_id)))

    def work_dir(self, job_id):
        return os.path.join(self.daemon.data_dir, "downloads", job_id)


class QueueTest(Actions, BitTorrentCase):
    top_config = "jobs:\n  max_active: 1\n"

    def test_actions_on_metadata_fetch_and_queued_jobs_and_the_queue_moves_on(self):
        first = self.daemon.api("POST", "/jobs", {"magnet": unreachable_magnet()}, expect=201)
        self.daemon.wait_status(first["id"], "metadata_fetch")
        waiting = [self.daemon.api("POST", "/jobs", {"magnet": unreachable_magnet()}, expect=201) for _ in range(3)]
        for job in waiting:
            self.daemon.wait_status(job["id"], "queued")
        q1, q2, q3 = (j["id"] for j in waiting)
        # queued: pause and resume; a second resume and a retry are refused.
        self.assertEqual(self.act(q1, "pause", 200)["status"], "paused")
        self.assertEqual(self.act(q1, "resume", 200)["status"], "queued")
        self.refused(q1, "resume", "retry")
        # queued: cancel leaves nothing behind; after that only delete is possible.
        self.assertEqual(self.act(q2, "cancel", 200)["status"], "cancelled")
        self.assertFalse(os.path.exists(self.work_dir(q2)))
        self.refused(q2, "pause", "resume", "cancel", "retry")
        self.deleted(q2)
        self.deleted(q3)  # queued
        # metadata_fetch: pause frees the slot and the next queued job (q1) starts.
        self.assertEqual(self.act(first["id"], "pause", 200)["status"], "paused")
        self.daemon.wait_status(q1, "metadata_fetch")
        self.assertEqual(self.daemon.job(first["id"])["status"], "paused")
        self.assertEqual(self.act(first["id"], "resume", 200)["status"], "queued")
        self.assertEqual(self.act(q1, "cancel", 200)["status"], "cancelled")  # metadata_fetch
        self.daemon.wait_status(first["id"], "metadata_fetch")
        self.deleted(first["id"])  # metadata_fetch

        # A real download waits for the slot, then runs to the end.
        blocker = self.daemon.api("POST", "/jobs", {"magnet": unreachable_magnet()}, expect=201)
        self.daemon.wait_status(blocker["id"], "metadata_fetch")
        src = self.add_file("content/queued.bin", 3 * MiB + 5)
        seeder = self.seed(src)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.daemon.wait_status(job["id"], "queued")
        self.act(blocker["id"], "cancel", 200)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=90)
        self.assertEqual(done["status"], "completed", done)
        self.fetch_and_compare(job["id"], src)
        self.assertEqual(self.daemon.db_count("queue_messages"), 0)  # nothing left waiting


class StatesTest(Actions, BitTorrentCase):
    def slow_job(self, name, size=16 * MiB, rate=2 * MiB):
        src = self.add_file("content/" + name, size)
        seeder = self.seed(src, upload_limit=rate)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.daemon.wait_downloaded(job["id"], 1, timeout=60)
        return src, job["id"]

    def test_downloading_and_paused_jobs(self):
        src, jid = self.slow_job("paused.bin")
        self.refused(jid, "resume", "retry")  # downloading
        paused = self.act(jid, "pause", 200)
        self.assertEqual(paused["status"], "paused")
        self.assertGreater(paused["progress"]["bytesDone"], 0)
        self.assertTrue(os.path.isdir(self.work_dir(jid)))  # partial data kept for the resume
        self.refused(jid, "pause", "retry")
        self.assertEqual(self.act(jid, "resume", 200)["status"], "queued")
        done = self.daemon.wait_status(jid, ["completed", "failed"], timeout=90)
        self.assertEqual(done["status"], "completed", done)
        self.fetch_and_compare(jid, src)

        _src, cancelled = self.slow_job("cancelled.bin")
        self.assertEqual(self.act(cancelled, "cancel", 200)["status"], "cancelled")  # downloading
        self.assertFalse(os.path.exists(self.work_dir(cancelled)))
        _src, deleted = self.slow_job("deleted.bin")
        self.deleted(deleted)  # downloading
        _src, paused_then_cancelled = self.slow_job("pc.bin")
        self.act(paused_then_cancelled, "pause", 200)
        self.assertEqual(self.act(paused_then_cancelled, "cancel", 200)["status"], "cancelled")  # paused
        self.assertFalse(os.path.exists(self.work_dir(paused_then_cancelled)))
        _src, paused_then_deleted = self.slow_job("pd.bin")
        self.act(paused_then_deleted, "pause", 200)
        self.deleted(paused_then_deleted)  # paused

    def test_completed_and_failed_jobs(self):
        src = self.add_file("content/done.bin", 1 * MiB + 3)
        seeder = self.seed(src)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.assertEqual(self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=60)["status"],
                         "completed")
        # Default policy: no seeding once stored, so pausing a completed job is refused too.
        self.refused(job["id"], "pause", "resume", "cancel", "retry")
        self.fetch_and_compare(job["id"], src)
        self.deleted(job["id"])

        failing = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet, "files": [3]}, expect=201)
        self.assertEqual(self.daemon.wait_status(failing["id"], ["completed", "failed"], timeout=60)["status"],
                         "failed")
        self.refused(failing["id"], "pause", "resume")
        self.assertEqual(self.act(failing["id"], "retry", 200)["status"], "queued")
        self.assertEqual(self.daemon.wait_status(failing["id"], ["completed", "failed"], timeout=60)["status"],
                         "failed")  # the same selection fails the same way
        self.assertEqual(self.act(failing["id"], "cancel", 200)["status"], "cancelled")
        self.deleted(failing["id"])


class SeedingControlTest(Actions, BitTorrentCase):
    extra_config = "  seed_time_limit_s: 600\n"

    def completed_and_seeding(self, name):
        src = self.add_file("content/" + name, 1 * MiB + 9)
        seeder = self.seed(src)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.assertEqual(self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=60)["status"],
                         "completed")
        self.assertTrue(os.path.isdir(self.work_dir(job["id"])))  # seeding from it
        return src, job["id"]

    def test_pause_stops_seeding_and_delete_removes_a_seeding_job(self):
        src, jid = self.completed_and_seeding("seeding.bin")
        self.assertEqual(self.act(jid, "pause", 200)["status"], "completed")
        self.assertFalse(os.path.exists(self.work_dir(jid)))
        _status, events = self.daemon.events(jid)
        done = [d for _i, e, d in events if e == "seeding_done"]
        self.assertEqual(done, [{"jobId": jid, "reason": "stopped by user"}])
        self.refused(jid, "pause", "resume", "cancel")  # no longer seeding
        self.fetch_and_compare(jid, src)

        _src, seeding = self.completed_and_seeding("seeding2.bin")
        self.deleted(seeding)


class ProgressTest(BitTorrentCase):
    def test_progress_events_about_once_a_second_with_swarm_figures(self):
        size = 12 * MiB
        src = self.add_file("content/progress.bin", size)
        seeder = self.seed(src, upload_limit=2 * MiB)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        arrivals = []
        _status, events = self.daemon.events(job["id"], timeout=120, arrivals=arrivals)
        progress = [(t, d) for t, (_i, e, d) in zip(arrivals, events) if e == "progress"]
        self.assertGreaterEqual(len(progress), 4, events)
        for _t, d in progress:
            self.assertLessEqual({"bytesDone", "bytesTotal", "downloadSpeed", "uploadSpeed", "peers", "seeds", "eta"},
                                 set(d))
            self.assertEqual(d["bytesTotal"], size)
        gaps = sorted(b[0] - a[0] for a, b in zip(progress, progress[1:]))
        median = gaps[len(gaps) // 2]
        self.assertTrue(0.5 <= median <= 1.5, gaps)
        mid = [d for _t, d in progress if 0 < d["bytesDone"] < size]
        self.assertTrue(any(d["peers"] >= 1 and d["seeds"] >= 1 and d["downloadSpeed"] > 0 and d["eta"] is not None
                            for d in mid), mid)
        self.assertEqual(self.daemon.job(job["id"])["status"], "completed")
        self.fetch_and_compare(job["id"], src)

    def test_watch_bar_shows_rates_peers_and_seeds(self):
        src = self.add_file("content/watched.bin", 8 * MiB)
        seeder = self.seed(src, upload_limit=2 * MiB)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        cmd = "%s --socket %s watch %s" % (harness.TSEEDER, self.daemon.socket, job["id"])
        # `script` gives the CLI a pseudo-terminal, as a user's shell would.
        r = subprocess.run(["script", "-qefc", cmd, "/dev/null"], capture_output=True, timeout=120)
        out = r.stdout.decode(errors="replace")
        self.assertEqual(r.returncode, 0, out + r.stderr.decode(errors="replace"))
        self.assertIn("\r\x1b[K[", out)
        self.assertRegex(out, r"B/s  eta \S+  up \S+ \S*B/s  peers 1  seeds 1  watched\.bin")
        self.assertIn("metadata watched.bin", out)
        self.assertIn("completed", out)
        self.fetch_and_compare(job["id"], src)



class SeedingRestartTest(Actions, BitTorrentCase):
    """A seeding job goes on seeding after a restart, from the files it kept, downloading nothing."""
    extra_config = "  seed_time_limit_s: 600\n"

    def setUp(self):
        self.bt_port = free_port()  # the same port after the restart, for the leecher to dial
        super().setUp()

    def leech(self, torrent, timeout=60):
        """A python-libtorrent downloader that knows only tseederd as a peer; its download dir."""
        out = os.path.join(self.tmp, "leecher")
        ses = lt.session({"listen_interfaces": "127.0.0.3:0", "enable_dht": False, "enable_lsd": False,
                          "enable_upnp": False, "enable_natpmp": False, "enable_outgoing_utp": False,
                          "enable_incoming_utp": False, "allow_multiple_connections_per_ip": True})
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(torrent)
        atp.save_path = out
        handle = ses.add_torrent(atp)
        deadline = time.time() + timeout
        while not handle.status().is_seeding:
            self.assertLess(time.time(), deadline, "the leecher got %d bytes" % handle.status().total_done)
            handle.connect_peer(("127.0.0.1", self.bt_port))
            time.sleep(0.5)
        del ses
        return out

    def test_seeding_survives_a_restart(self):
        src = self.add_file("content/kept.bin", 2 * MiB + 7)
        seeder = self.seed(src)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.assertEqual(self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=60)["status"],
                         "completed")
        self.assertTrue(os.path.isdir(self.work_dir(job["id"])))
        seeder.stop()  # from here on tseederd is the only copy in the swarm
        self.assertEqual(self.daemon.stop(), 0)
        self.daemon.start()
        _status, events = self.daemon.events(job["id"])
        started = [d for _i, e, d in events if e == "seeding_started"]
        self.assertEqual([d["reason"] for d in started], ["download complete", "daemon restarted"])
        after = self.daemon.job(job["id"])
        self.assertEqual((after["status"], after["progress"]["bytesDone"]), ("completed", 2 * MiB + 7))
        out = self.leech(seeder.torrent)
        with open(src, "rb") as a, open(os.path.join(out, "kept.bin"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        wait_for(lambda: self.daemon.job(job["id"])["progress"]["bytesUploaded"] >= 2 * MiB, 20,
                 "the upload to be counted")
        # Still seeding: pausing ends it as before; the next restart leaves it alone.
        self.assertEqual(self.act(job["id"], "pause", 200)["status"], "completed")
        self.assertFalse(os.path.exists(self.work_dir(job["id"])))
        self.assertEqual(self.daemon.stop(), 0)
        self.daemon.start()
        _status, events = self.daemon.events(job["id"])
        self.assertEqual(len([1 for _i, e, _d in events if e == "seeding_started"]), 2)
        self.fetch_and_compare(job["id"], src)


if __name__ == "__main__":
    unittest.main()
