"""Retries and the dead-letter list: a retryable failure is tried again with backoff, each
attempt a status event, at most 5 attempts; then the job fails and is listed for staff, who
replay it (with a reason and a ticket, audited) with a fresh set of attempts. Non-retryable
failures fail at once and are not listed."""
import os
import unittest

from accounts_support import AccountsCase
from harness import HttpServer, free_port, run_cli, wait_for


WHY = {"reason": "the mirror is back online", "ticketId": "OPS-7"}


class DeadLetterTest(AccountsCase):
    # Backoff of 20 ms doubling to at most 80 ms: five attempts in well under a second.
    config_lines = ("jobs:", "  retry_base_ms: 20", "  retry_cap_ms: 80", "limits:", "  api_per_minute_ip: 0",
                    "  api_per_minute_account: 0")

    def setUp(self):
        super().setUp()
        self.add_user("ann@example.com", plan="pro")
        self.key = self.api_key_for("ann@example.com")

    def add(self, url):
        r = self.as_key(self.key, "POST", "/jobs", {"url": url})
        self.assertEqual(r.status, 201, r.body)
        return r.json()["id"]

    def wait(self, job_id, status, timeout=30):
        return wait_for(lambda: (lambda j: j if j["status"] == status else None)(
            self.as_key(self.key, "GET", "/jobs/" + job_id).json()), timeout, "job %s %s" % (job_id, status))

    def dlq(self):
        r = self.daemon.socket_request("GET", "/admin/dlq")
        self.assertEqual(r.status, 200, r.body)
        return {e["jobId"]: e for e in r.json()["entries"]}

    def test_five_attempts_then_the_dead_letter_list_then_a_replay(self):
        port = free_port()  # nothing listens there yet: every attempt is refused (retryable)
        job_id = self.add("http://127.0.0.1:%d/iso/disk.img" % port)
        failed = self.wait(job_id, "failed")
        self.assertIn("Couldn't connect", failed["error"])
        events = self.daemon.timeline(job_id, "status")
        attempts = [e["reason"] for e in events if e["status"] == "queued" and "attempt" in e.get("reason", "")]
        self.assertEqual([a.split(" failed")[0] for a in attempts], ["attempt %d" % n for n in range(1, 5)], attempts)
        self.assertEqual(events[-1]["reason"], "retries exhausted after 5 attempts")
        entry = self.dlq()[job_id]
        self.assertEqual((entry["attempts"], entry["sourceKind"]), (5, "url"))
        self.assertIn("Couldn't connect", entry["lastError"])
        r = self.cli("admin", "dlq", "ls")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, job_id + r"\s+\S+\s+\S+\s+5\s+")

        # A replay needs a reason and a ticket, and only listed jobs can be replayed.
        r = self.daemon.socket_request("POST", "/admin/dlq/%s/replay" % job_id, {"reason": "again"})
        self.assertEqual(r.status, 400, r.body)
        r = self.daemon.socket_request("POST", "/admin/dlq/%s/replay" % ("0" * 16), WHY)
        self.assertEqual(r.status, 404, r.body)
        self.assertEqual(self.as_key(self.key, "GET", "/jobs/" + job_id).json()["status"], "failed")

        # The mirror comes back; the replayed job runs with fresh attempts and completes.
        os.makedirs(os.path.join(self.www, "iso"))
        with open(os.path.join(self.www, "iso", "disk.img"), "wb") as f:
            f.write(os.urandom(70_000))
        mirror = HttpServer(self.www, port=port)
        self.addCleanup(mirror.stop)
        r = self.cli("admin", "dlq", "replay", job_id, "--reason", WHY["reason"], "--ticket", WHY["ticketId"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.wait(job_id, "completed")
        self.assertNotIn(job_id, self.dlq())
        self.assertTrue(any(e.get("reason") == "replayed from the dead-letter list by staff"
                            for e in self.daemon.timeline(job_id, "status")))
        audit = self.audit(action="dlq.replay")
        self.assertEqual(len(audit), 1)
        self.assertEqual((audit[0]["target"], audit[0]["detail"]["reason"], audit[0]["detail"]["ticketId"],
                          audit[0]["detail"]["attempts"]), ("job:" + job_id, WHY["reason"], "OPS-7", 5))

    def test_non_retryable_failures_fail_at_once_and_are_not_listed(self):
        job_id = self.add(self.http.url("missing.bin"))
        failed = self.wait(job_id, "failed")
        self.assertIn("404", failed["error"])
        self.assertEqual([e["status"] for e in self.daemon.timeline(job_id, "status")][-1:], ["failed"])
        self.assertFalse(any("attempt" in e.get("reason", "") for e in self.daemon.timeline(job_id, "status")))
        self.assertNotIn(job_id, self.dlq())

    def test_a_users_own_retry_takes_the_job_off_the_list(self):
        job_id = self.add("http://127.0.0.1:%d/x.bin" % free_port())
        self.wait(job_id, "failed")
        self.assertIn(job_id, self.dlq())
        r = self.as_key(self.key, "POST", "/jobs/%s/retry" % job_id)
        self.assertEqual(r.status, 200, r.body)
        self.assertNotIn(job_id, self.dlq())
        self.wait(job_id, "failed")  # refused again five times: listed again
        self.assertEqual(self.dlq()[job_id]["attempts"], 5)

    def test_only_staff_see_the_list(self):
        self.assertEqual(self.as_key(self.key, "GET", "/admin/dlq").status, 403)
        r = run_cli("admin", "dlq", "ls", env={"TSEEDER_URL": self.daemon.url, "TSEEDER_API_KEY": self.key})
        self.assertNotEqual(r.returncode, 0)


if __name__ == "__main__":
    unittest.main()
