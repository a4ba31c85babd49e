"""Server-Sent Events: numbered events, live progress, resume by Last-Event-ID."""
import unittest

from harness import DaemonTest


class EventsTest(DaemonTest):
    http_rate = 8 * 1024 * 1024

    def setUp(self):
        super().setUp()
        self.daemon.start()

    def test_live_stream_then_replay_and_resume(self):
        self.add_file("ev.bin", 16 * 1024 * 1024)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("ev.bin")}, expect=201)
        status, live = self.daemon.events(job["id"], timeout=60)
        self.assertEqual(status, 200)
        ids = [i for i, _, _ in live if i is not None]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(ids), len(set(ids)))
        kinds = [k for _, k, _ in live]
        self.assertIn("metadata_ready", kinds)
        progress = [d for _, k, d in live if k == "progress"]
        self.assertGreaterEqual(len(progress), 1)
        self.assertTrue(all(d["bytesTotal"] == 16 * 1024 * 1024 for d in progress))
        statuses = [d["status"] for _, k, d in live if k == "status"]
        self.assertEqual(statuses[-2:], ["uploading", "completed"])
        self.assertIn("downloading", statuses)

        # A fresh connection replays the stored timeline from the start and ends (job is done).
        status, replay = self.daemon.events(job["id"], timeout=10)
        stored = [(i, k) for i, k, _ in replay]
        self.assertEqual(stored[0], (1, "created"))
        self.assertTrue(all(k != "progress" for _, k in stored))
        # Resume after event 3: only later events, in order.
        status, resumed = self.daemon.events(job["id"], last_event_id=3, timeout=10)
        self.assertEqual([i for i, _, _ in resumed], [i for i, _ in stored if i > 3])
        # Resuming from the very last id gives nothing more.
        last = replay[-1][0]
        job_now = self.daemon.job(job["id"])
        status, none = self.daemon.events(job["id"], last_event_id=job_now["lastEventId"], timeout=10)
        self.assertEqual(none, [])
        self.assertGreaterEqual(job_now["lastEventId"], last)


if __name__ == "__main__":
    unittest.main()
