"""Plans and quotas: the seeded plans, staff editing and assigning them (audited), the limits
enforced at creation (50 concurrent requests of a Free account let exactly 2 through), after
metadata (nothing fetched beyond it) and on bytes served, and the usage report."""
import http.client
import json
import os
import secrets
import threading
import unittest
import urllib.parse

from accounts_support import AccountsCase
from harness import run_cli, wait_for
from test_bittorrent import BT_CONFIG, Seeder

GB = 1000 ** 3
NO_LIMITS = ("limits:", "  login_per_minute_ip: 0", "  login_per_minute_account: 0", "  api_per_minute_ip: 0",
             "  api_per_minute_account: 0")


def stuck_magnet():
    """A magnet nobody seeds: its job stays in metadata_fetch (DHT is off)."""
    return "magnet:?xt=urn:btih:" + secrets.token_hex(20)

WHY = {"reason": "plan change for the quota tests", "ticketId": "T-1"}


class QuotaCase(AccountsCase):
    config_lines = NO_LIMITS + tuple((BT_CONFIG % 0).splitlines())

    def setUp(self):
        super().setUp()
        self.email = "free@example.com"
        self.user = self.add_user(self.email)
        self.key = self.api_key_for(self.email)

    def call(self, method, path, body=None):
        return self.as_key(self.key, method, path, body)

    def set_plan(self, plan, **limits):
        r = self.daemon.socket_request("PATCH", "/admin/plans/" + plan, dict(limits, **WHY))
        self.assertEqual(r.status, 200, r.body)
        return r.json()["plan"]

    def job(self, job_id):
        r = self.call("GET", "/jobs/" + job_id)
        self.assertEqual(r.status, 200, r.body)
        return r.json()

    def wait_job(self, job_id, statuses, timeout=60):
        statuses = {statuses} if isinstance(statuses, str) else set(statuses)
        return wait_for(lambda: (lambda j: j if j["status"] in statuses else None)(self.job(job_id)), timeout,
                        "job %s to reach %s" % (job_id, "/".join(sorted(statuses))))

    def usage(self):
        r = self.call("GET", "/usage")
        self.assertEqual(r.status, 200, r.body)
        return r.json()

    def user_cli(self, *args):
        return run_cli(*args, env={"TSEEDER_URL": self.daemon.url, "TSEEDER_API_KEY": self.key})


class PlansTest(QuotaCase):
    def test_plans_are_seeded_from_the_plan_table(self):
        plans = {p["id"]: p for p in self.daemon.socket_request("GET", "/admin/plans").json()["plans"]}
        self.assertEqual(list(plans), ["free", "pro", "business", "enterprise"])
        seeded = {"free": (2, 5, 0.5, 50, 7), "pro": (10, 50, 5, 500, 30), "business": (50, 500, 25, 5000, 90)}
        for pid, (jobs, storage, max_file, bandwidth, days) in seeded.items():
            p = plans[pid]
            self.assertEqual((p["maxActiveJobs"], p["storageBytes"], p["maxFileBytes"], p["bandwidthBytesPerMonth"],
                              p["retentionDays"]),
                             (jobs, storage * GB, int(max_file * GB), bandwidth * GB, days), pid)
        self.assertTrue(all(v is None for k, v in plans["enterprise"].items() if k not in ("id", "name")))
        r = self.cli("admin", "plans", "ls")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"free\s+Free\s+2\s+4\.7 GiB\s+476\.8 MiB\s+46\.6 GiB\s+7 days")
        self.assertRegex(r.stdout, r"enterprise\s+Enterprise\s+unlimited")

    def test_staff_edit_plans_and_assign_them_audited(self):
        r = self.cli("admin", "plans", "set", "pro", "--storage", "60GB", "--retention", "unlimited", "--max-jobs", "12",
                     "--reason", "the pro plan grows this month", "--ticket", "T-76")
        self.assertEqual(r.returncode, 0, r.stderr)
        pro = self.daemon.socket_request("GET", "/admin/plans").json()["plans"][1]
        self.assertEqual((pro["storageBytes"], pro["retentionDays"], pro["maxActiveJobs"]), (60 * GB, None, 12))
        entry = self.audit(action="plan.update")[0]
        self.assertEqual(entry["target"], "plan:pro")
        self.assertEqual(entry["detail"]["before"]["storageBytes"], 50 * GB)
        self.assertEqual(entry["detail"]["after"]["storageBytes"], 60 * GB)

        r = self.cli("admin", "plans", "assign", self.email, "pro", "--reason", "upgrade paid by invoice",
                     "--ticket", "T-77")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("is now on plan pro", r.stdout)
        self.assertEqual(self.usage()["plan"]["id"], "pro")
        entry = self.audit(action="user.plan")[0]
        self.assertEqual((entry["target"], entry["detail"]["from"], entry["detail"]["to"], entry["detail"]["ticketId"]),
                         ("user:" + self.user["id"], "free", "pro", "T-77"))

        # Bad input changes nothing.
        before = self.daemon.socket_request("GET", "/admin/plans").json()
        r = self.cli("admin", "plans", "set", "pro", "--storage", "lots", "--reason", WHY["reason"], "--ticket", "T-1")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--storage 'lots'", r.stderr)
        for bad in ({"storageBytes": -1}, {"maxActiveJobs": "many"}, {"colour": "red"}, {}, {"name": ""}):
            r = self.daemon.socket_request("PATCH", "/admin/plans/pro", dict(bad, **WHY))
            self.assertEqual(r.status, 400, (bad, r.body))
            # and without a reason and ticket, even a good change is refused
            r = self.daemon.socket_request("PATCH", "/admin/plans/pro", {"name": "Pro"} if bad == {} else bad)
            self.assertEqual(r.status, 400, (bad, r.body))
        self.assertEqual(self.daemon.socket_request("PATCH", "/admin/plans/gold", dict(name="Gold", **WHY)).status, 404)
        r = self.daemon.socket_request("POST", "/admin/users/%s/plan" % self.user["id"], dict(plan="gold", **WHY))
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(self.daemon.socket_request("GET", "/admin/plans").json(), before)
        self.assertEqual(self.usage()["plan"]["id"], "pro")


class AdmissionTest(QuotaCase):
    def test_fifty_concurrent_creations_let_exactly_two_through(self):
        u = urllib.parse.urlsplit(self.daemon.url)
        results = []
        lock = threading.Lock()
        start = threading.Barrier(50)

        def post():
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            body = json.dumps({"magnet": stuck_magnet()})
            start.wait()
            try:
                conn.request("POST", "/jobs", body=body,
                             headers={"Authorization": "Bearer " + self.key, "Content-Type": "application/json"})
                resp = conn.getresponse()
                with lock:
                    results.append((resp.status, json.loads(resp.read())))
            finally:
                conn.close()

        threads = [threading.Thread(target=post) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=90)
        self.assertEqual(len(results), 50)
        statuses = sorted(s for s, _ in results)
        self.assertEqual(statuses.count(201), 2, statuses)
        self.assertEqual(statuses.count(429), 48, statuses)
        for status, body in results:
            if status == 429:
                self.assertEqual(body["error"]["code"], "QUOTA_JOBS")
                self.assertIn("allows 2 active job(s)", body["error"]["message"])
        jobs = self.call("GET", "/jobs").json()
        self.assertEqual(jobs["total"], 2)
        self.assertEqual(self.usage()["activeJobs"], {"limit": 2, "used": 2, "remaining": 0})

        # The CLI says which limit, with its own exit code; a cancelled job frees a place.
        r = self.user_cli("add", stuck_magnet())
        self.assertEqual(r.returncode, 10, r.stdout + r.stderr)
        self.assertIn("allows 2 active job(s)", r.stderr)
        first = jobs["jobs"][0]["id"]
        self.assertEqual(self.call("POST", "/jobs/%s/cancel" % first, {}).status, 200)
        self.assertEqual(self.call("POST", "/jobs", {"magnet": stuck_magnet()}).status, 201)

    def test_retrying_a_failed_job_needs_a_free_place(self):
        r = self.call("POST", "/jobs", {"url": self.http.url("missing.bin")})
        self.assertEqual(r.status, 201, r.body)
        failed = self.wait_job(r.json()["id"], "failed")["id"]
        for _ in range(2):
            self.assertEqual(self.call("POST", "/jobs", {"magnet": stuck_magnet()}).status, 201)
        r = self.call("POST", "/jobs/%s/retry" % failed, {})
        self.assertEqual((r.status, r.json()["error"]["code"]), (429, "QUOTA_JOBS"))
        self.assertEqual(self.job(failed)["status"], "failed")

    def test_storage_is_checked_at_creation_and_once_the_size_is_known(self):
        self.set_plan("free", storageBytes=100_000)
        self.add_file("a.bin", 60_000)
        self.add_file("b.bin", 60_000)
        r = self.call("POST", "/jobs", {"url": self.http.url("a.bin")})
        self.assertEqual(r.status, 201, r.body)
        self.wait_job(r.json()["id"], "completed")
        # 60 kB stored; the next 60 kB is refused once its size is known, and nothing is kept.
        r = self.call("POST", "/jobs", {"url": self.http.url("b.bin")})
        self.assertEqual(r.status, 201, r.body)
        job = self.wait_job(r.json()["id"], ["failed", "completed"])
        self.assertEqual((job["status"], job["errorCode"]), ("failed", "QUOTA_STORAGE"), job)
        self.assertIn("needs 58.6 KiB but only 39.1 KiB", job["error"])
        self.assertIsNone(self.call("GET", "/jobs/%s/files" % job["id"]).json()["files"][0]["id"])
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job["id"])))
        usage = self.usage()
        self.assertEqual(usage["storage"], {"limit": 100_000, "used": 60_000, "remaining": 40_000, "stored": 60_000,
                                            "incoming": 0})
        # Full: refused before any job is made.
        self.set_plan("free", storageBytes=60_000)
        r = self.call("POST", "/jobs", {"url": self.http.url("b.bin?again")})
        self.assertEqual((r.status, r.json()["error"]["code"]), (429, "QUOTA_STORAGE"))
        self.assertEqual(self.call("GET", "/jobs").json()["total"], 2)


class MetadataQuotaTest(QuotaCase):
    def test_an_oversized_file_fails_the_job_after_metadata_without_fetching_data(self):
        root = os.path.join(self.www, "pack")
        self.add_file("pack/small.bin", 300_000)
        self.add_file("pack/big.bin", 3_000_000)
        seeder = Seeder(root, os.path.join(self.tmp, "seed"))
        self.addCleanup(seeder.stop)
        self.set_plan("free", maxFileBytes=1_000_000)
        r = self.call("POST", "/jobs", {"magnet": seeder.magnet})
        self.assertEqual(r.status, 201, r.body)
        job = self.wait_job(r.json()["id"], ["failed", "completed"], timeout=120)
        self.assertEqual((job["status"], job["errorCode"]), ("failed", "QUOTA_FILE_SIZE"), job)
        self.assertIn("'pack/big.bin' is 2.9 MiB; the Free plan allows files up to 976.6 KiB", job["error"])
        self.assertEqual(job["name"], "pack")  # the metadata arrived; nothing else did
        self.assertEqual(seeder.stats()["uploaded"], 0)
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job["id"])))

        # Leaving the big file out lets the same job through on retry.
        listed = self.call("GET", "/jobs/%s/files" % job["id"]).json()["files"]
        big = [f["index"] for f in listed if f["path"] == "pack/big.bin"][0]
        r = self.call("PATCH", "/jobs/%s/files" % job["id"], {"files": [{"index": big, "wanted": False}]})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.call("POST", "/jobs/%s/retry" % job["id"], {}).status, 200)
        done = self.wait_job(job["id"], ["failed", "completed"], timeout=120)
        self.assertEqual(done["status"], "completed", done)
        files = self.call("GET", "/jobs/%s/files" % job["id"]).json()["files"]
        self.assertEqual(sorted((f["path"], f["id"] is not None) for f in files),
                         [("pack/big.bin", False), ("pack/small.bin", True)])

    def test_choosing_more_files_than_the_plan_holds_is_refused(self):
        root = os.path.join(self.www, "pair")
        self.add_file("pair/one.bin", 400_000)
        self.add_file("pair/two.bin", 400_000)
        seeder = Seeder(root, os.path.join(self.tmp, "seed"), upload_limit=50_000)
        self.addCleanup(seeder.stop)
        self.set_plan("free", storageBytes=500_000)
        r = self.call("POST", "/jobs", {"magnet": seeder.magnet, "files": [0]})
        self.assertEqual(r.status, 201, r.body)
        job = self.wait_job(r.json()["id"], ["downloading", "failed", "completed"], timeout=120)
        self.assertEqual(job["status"], "downloading", job)
        r = self.call("PATCH", "/jobs/%s/files" % job["id"], {"files": [{"index": 1, "wanted": True}]})
        self.assertEqual((r.status, r.json()["error"]["code"]), (429, "QUOTA_STORAGE"), r.body)
        files = self.call("GET", "/jobs/%s/files" % job["id"]).json()["files"]
        self.assertEqual([f["priority"] for f in files], ["normal", "skip"])


class BandwidthTest(QuotaCase):
    def test_served_bytes_count_against_the_month_and_stop_at_the_limit(self):
        src = self.add_file("movie.bin", 60_000)
        self.set_plan("free", bandwidthBytesPerMonth=150_000)
        r = self.call("POST", "/jobs", {"url": self.http.url("movie.bin")})
        job = self.wait_job(r.json()["id"], "completed")["id"]
        file_id = self.call("GET", "/jobs/%s/files" % job).json()["files"][0]["id"]
        link = urllib.parse.urlsplit(self.call("GET", "/jobs/%s/files/%d/url" % (job, file_id)).json()["url"]).path
        with open(src, "rb") as f:
            whole = f.read()
        # A signed link used by anyone counts for the owner; so does the owner's own download.
        self.assertEqual(self.daemon.request("GET", link, auth=False).body, whole)
        self.assertEqual(self.call("GET", "/jobs/%s/files/%d/content" % (job, file_id)).body, whole)
        r = self.daemon.request("GET", link, auth=False, headers={"Range": "bytes=0-9999"})
        self.assertEqual((r.status, len(r.body)), (206, 10_000))
        self.assertEqual(self.usage()["bandwidth"]["used"], 130_000)
        # 20 kB left: a whole 60 kB download would pass the limit.
        r = self.daemon.request("GET", link, auth=False)
        self.assertEqual((r.status, json.loads(r.body)["error"]["code"]), (429, "QUOTA_BANDWIDTH"))
        self.assertGreater(int(r.headers["Retry-After"]), 0)
        self.assertIn("19.5 KiB of the Free plan's 146.5 KiB monthly bandwidth is left", json.loads(r.body)["error"]["message"])
        # Counts outlive a restart.
        self.daemon.stop()
        self.daemon.start()
        bandwidth = self.usage()["bandwidth"]
        self.assertEqual((bandwidth["used"], bandwidth["remaining"], bandwidth["limit"]), (130_000, 20_000, 150_000))


class UsageTest(QuotaCase):
    def test_usage_in_human_units_and_json(self):
        r = self.user_cli("usage")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("plan: Free (free)", r.stdout)
        self.assertRegex(r.stdout, r"active jobs\s+0\s+2\s+2")
        self.assertRegex(r.stdout, r"storage\s+0 B\s+4\.7 GiB\s+4\.7 GiB")
        self.assertRegex(r.stdout, r"bandwidth \d{4}-\d\d\s+0 B\s+46\.6 GiB\s+46\.6 GiB")
        self.assertRegex(r.stdout, r"max file size\s+-\s+476\.8 MiB")
        self.assertRegex(r.stdout, r"retention\s+-\s+7 days")
        r = self.user_cli("--json", "usage")
        self.assertEqual(r.returncode, 0, r.stderr)
        u = json.loads(r.stdout)
        self.assertEqual(u["storage"]["limit"], 5 * GB)
        self.assertEqual(u["activeJobs"], {"limit": 2, "used": 0, "remaining": 2})
        # The operator is on Enterprise: no limits.
        op = self.daemon.socket_request("GET", "/usage").json()
        self.assertEqual((op["plan"]["id"], op["storage"]["limit"], op["storage"]["remaining"]),
                         ("enterprise", None, None))


if __name__ == "__main__":
    unittest.main()
