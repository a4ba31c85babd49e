"""Staff and every user's jobs: GET /admin/jobs with its filters, GET /admin/jobs/{id}, and
POST /admin/jobs/{id}/terminate (reason + ticket, audited; the owner reads why), from the API and
`tseeder admin jobs`; bad input changes nothing."""
import json
import os
import unittest

from accounts_support import AccountsCase
from harness import run_cli, wait_for

REASON = "abuse report about this download"


class AdminJobsTest(AccountsCase):
    http_rate = 256 * 1024  # a 4 MiB file stays downloading for the whole test

    def setUp(self):
        super().setUp()
        self.alice = self.add_user("alice@example.com")
        self.bob = self.add_user("bob@example.com")
        self.alice_key = self.api_key_for("alice@example.com")
        self.bob_key = self.api_key_for("bob@example.com")
        self.add_file("slow.bin", 4 * 1024 * 1024)
        r = self.as_key(self.alice_key, "POST", "/jobs", {"url": self.http.url("slow.bin")})
        self.assertEqual(r.status, 201, r.body)
        self.slow = r.json()["id"]
        self.add_file("small.bin", 1000)
        r = self.as_key(self.bob_key, "POST", "/jobs", {"url": self.http.url("small.bin")})
        self.small = r.json()["id"]
        wait_for(lambda: self.as_key(self.bob_key, "GET", "/jobs/" + self.small).json()["status"] == "completed", 30,
                 "bob's job")
        wait_for(lambda: os.path.exists(self.partial()), 30, "alice's download to begin")

    def partial(self):
        return os.path.join(self.daemon.data_dir, "downloads", self.slow, ".tseeder-partial")

    def staff(self, method, path, body=None):
        return self.daemon.socket_request(method, path, body)

    def listed(self, query=""):
        r = self.staff("GET", "/admin/jobs" + query)
        self.assertEqual(r.status, 200, r.body)
        return [(j["id"], j["userId"]) for j in r.json()["jobs"]]

    def test_lists_every_users_jobs_with_filters(self):
        self.assertEqual(self.listed(), [(self.small, self.bob["id"]), (self.slow, self.alice["id"])])
        self.assertEqual(self.listed("?user=" + self.alice["id"]), [(self.slow, self.alice["id"])])
        self.assertEqual(self.listed("?status=completed"), [(self.small, self.bob["id"])])
        self.assertEqual(self.listed("?status=downloading&engine=engine-http"), [(self.slow, self.alice["id"])])
        self.assertEqual(self.listed("?engine=engine-libtorrent"), [])
        self.assertEqual(self.listed("?agent=0123456789abcdef"), [])
        self.assertEqual(self.listed("?olderThan=3600"), [])
        self.assertEqual(self.listed("?olderThan=0&limit=1"), [(self.small, self.bob["id"])])
        page = self.staff("GET", "/admin/jobs?limit=1").json()
        self.assertEqual([j["id"] for j in self.staff("GET", page["next"]).json()["jobs"]], [self.slow])
        shown = self.staff("GET", "/admin/jobs/" + self.slow).json()["job"]
        self.assertEqual((shown["userId"], shown["status"]), (self.alice["id"], "downloading"))

        r = run_cli("--socket", self.daemon.socket, "admin", "jobs", "ls", "--user", "alice@example.com")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(self.slow, r.stdout)
        self.assertNotIn(self.small, r.stdout)
        r = run_cli("--socket", self.daemon.socket, "admin", "jobs", "ls", "--older-than", "2h")
        self.assertEqual((r.returncode, self.slow in r.stdout), (0, False))
        r = run_cli("--socket", self.daemon.socket, "admin", "jobs", "show", self.slow)
        self.assertIn("owner:    " + self.alice["id"], r.stdout)

    def test_bad_filters_are_refused(self):
        for query, field in [("?status=bogus", "status"), ("?limit=-1", "limit"), ("?limit=501", "limit"),
                             ("?user=nobody", "user"), ("?olderThan=-5", "olderThan"), ("?engine=%25", "engine"),
                             ("?offset=10", "offset"), ("?engine=" + "e" * 101, "engine")]:
            r = self.staff("GET", "/admin/jobs" + query)
            self.assertEqual(r.status, 400, query)
            self.assertIn(field, r.body.decode(), query)
        self.assertEqual(self.staff("GET", "/admin/jobs/0123456789abcdef").status, 404)
        r = run_cli("--socket", self.daemon.socket, "admin", "jobs", "ls", "--older-than", "soon")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("not a duration", r.stderr)

    def test_terminate_needs_a_reason_and_a_ticket_and_ends_the_job_for_its_owner(self):
        audit_before = len(self.audit(action="job.terminate"))
        for body in [{}, {"reason": REASON}, {"ticketId": "T-9"}, {"reason": "short", "ticketId": "T-9"},
                     {"reason": REASON, "ticketId": "T-9", "extra": 1}]:
            r = self.staff("POST", "/admin/jobs/%s/terminate" % self.slow, body)
            self.assertEqual(r.status, 400, body)
        self.assertEqual(self.staff("GET", "/admin/jobs/" + self.slow).json()["job"]["status"], "downloading")
        self.assertEqual(len(self.audit(action="job.terminate")), audit_before)
        r = run_cli("--socket", self.daemon.socket, "admin", "jobs", "terminate", self.slow, "--ticket", "T-9")
        self.assertEqual(r.returncode, 2, r.stderr)

        r = run_cli("--socket", self.daemon.socket, "admin", "jobs", "terminate", self.slow, "--reason", REASON,
                    "--ticket", "T-9")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("terminated %s of %s; now cancelled" % (self.slow, self.alice["id"]), r.stdout)
        # The owner sees it ended, and why.
        job = self.as_key(self.alice_key, "GET", "/jobs/" + self.slow).json()
        self.assertEqual(job["status"], "cancelled")
        reasons = [e["reason"] for e in self.daemon.timeline(self.slow, "status")]
        self.assertEqual(reasons[-1], "terminated by staff: " + REASON)
        self.assertFalse(os.path.exists(os.path.dirname(self.partial())))  # its partial data went
        entry = self.audit(action="job.terminate")[0]
        self.assertEqual((entry["target"], entry["detail"]["ticketId"], entry["detail"]["owner"]),
                         ("job:" + self.slow, "T-9", self.alice["id"]))

        for job_id, status in [(self.slow, 409), (self.small, 409), ("0123456789abcdef", 404)]:
            r = self.staff("POST", "/admin/jobs/%s/terminate" % job_id, {"reason": REASON, "ticketId": "T-9"})
            self.assertEqual(r.status, status, job_id)
        self.assertIn("completed: only unfinished jobs can be terminated",
                      self.staff("POST", "/admin/jobs/%s/terminate" % self.small,
                                 {"reason": REASON, "ticketId": "T-9"}).body.decode())
        self.assertEqual(len(self.audit(action="job.terminate")), audit_before + 1)


if __name__ == "__main__":
    unittest.main()
