"""Writes are committed in groups, one per turn of the event loop, and a request that wrote is
answered only once its group is on disk: SIGKILL in the middle of a stream of job creations never
loses a job whose creation was answered 201."""
import http.client
import json
import threading
import unittest
import urllib.parse

from harness import DaemonTest, wait_for

CLIENTS = 8


class DurableWritesTest(DaemonTest):
    http_rate = 1024  # the first jobs hold every download slot; the rest wait in the queue

    def test_sigkill_keeps_every_job_answered_201(self):
        self.add_file("slow.bin", 1024 * 1024)
        self.daemon.start()
        u = urllib.parse.urlsplit(self.daemon.url)
        headers = {"Authorization": "Bearer " + self.daemon.api_key, "Content-Type": "application/json"}
        answered, lock, stop = [], threading.Lock(), threading.Event()

        def client(n):
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)  # kept alive
            i = 0
            while not stop.is_set():
                i += 1
                body = json.dumps({"url": self.http.url("slow.bin") + "?c=%d&i=%d" % (n, i)})
                try:
                    conn.request("POST", "/jobs", body=body, headers=headers)
                    r = conn.getresponse()
                    data = r.read()
                except (OSError, http.client.HTTPException):
                    return  # the daemon is gone
                if r.status == 201:
                    with lock:
                        answered.append(json.loads(data)["id"])

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        try:
            wait_for(lambda: len(answered) >= 400, 60, "400 jobs created")
            self.daemon.kill9()  # while every client has a creation in flight
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=20)
        with lock:
            ids = list(answered)

        stored = {row[0] for row in self.daemon.db_rows("SELECT id FROM jobs")}
        missing = [i for i in ids if i not in stored]
        self.assertEqual(missing, [], "%d of %d answered jobs lost" % (len(missing), len(ids)))
        # Each is whole: its first event and, while it waits, its queue message.
        events = {row[0] for row in self.daemon.db_rows("SELECT DISTINCT job_id FROM job_events")}
        self.assertEqual([i for i in ids if i not in events], [])
        waiting = self.daemon.db_rows(
            "SELECT id FROM jobs WHERE status IN ('submitted', 'queued') "
            "AND id NOT IN (SELECT job_id FROM queue_messages)")
        self.assertEqual(waiting, [])

        self.daemon.start()
        for job_id in ids[-20:]:
            self.assertIn(self.daemon.job(job_id)["status"], ("submitted", "queued", "downloading",
                                                               "metadata_fetch"))


if __name__ == "__main__":
    unittest.main()
