"""The storage sweep: files of completed jobs past their plan's retention leave storage and the
jobs become expired; objects no row names and rows whose object is gone are removed; a dry run
deletes nothing; every deletion is audited with the staff member's reason and ticket."""
import json
import os
import unittest

from accounts_support import AccountsCase

WHY = ("--reason", "monthly storage review", "--ticket", "OPS-12")


class RetentionTest(AccountsCase):
    config_lines = ("limits:", "  api_per_minute_ip: 0", "  api_per_minute_account: 0")

    def setUp(self):
        super().setUp()
        self.storage = os.path.join(self.daemon.data_dir, "storage")
        self.free = self.add_user("free@example.com")
        self.pro = self.add_user("pro@example.com", plan="pro")
        self.keys = {"free": self.api_key_for("free@example.com"), "pro": self.api_key_for("pro@example.com")}

    def completed_job(self, who, name, size):
        self.add_file(name, size)
        r = self.as_key(self.keys[who], "POST", "/jobs", {"url": self.http.url(name)})
        self.assertEqual(r.status, 201, r.body)
        job_id = r.json()["id"]
        job = self.wait(who, job_id, "completed")
        return job

    def wait(self, who, job_id, status):
        from harness import wait_for
        return wait_for(lambda: (lambda j: j if j["status"] == status else None)(
            self.as_key(self.keys[who], "GET", "/jobs/" + job_id).json()), 30, "job %s %s" % (job_id, status))

    def sweep(self, *extra):
        r = self.cli("--json", "admin", "storage", "sweep", *(WHY + extra))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return json.loads(r.stdout)

    def job_dir(self, who, job):
        return os.path.join(self.storage, getattr(self, who)["id"], job["id"])

    def test_retention_expires_files_and_every_deletion_is_audited(self):
        old = [self.completed_job("free", "a.bin", 50_000), self.completed_job("free", "b.bin", 70_000)]
        kept = self.completed_job("pro", "c.bin", 30_000)
        link = self.as_key(self.keys["free"], "GET", "/jobs/%s/files" % old[0]["id"]).json()["files"][0]["id"]
        url = self.as_key(self.keys["free"], "GET", "/jobs/%s/files/%d/url" % (old[0]["id"], link)).json()["url"]
        # Nothing is past 7 days yet.
        report = self.sweep()
        self.assertEqual((report["expiredJobs"], report["orphanObjects"], report["orphanRows"]), (0, 0, 0), report)
        # The Free plan now keeps files 0 days: both its jobs are past retention, Pro's is not.
        r = self.daemon.socket_request("PATCH", "/admin/plans/free", {"retentionDays": 0, "reason": "retention tests keep nothing",
                                                                       "ticketId": "T-1"})
        self.assertEqual(r.status, 200, r.body)
        dry = self.sweep("--dry-run")
        self.assertEqual((dry["dryRun"], dry["expiredJobs"], dry["bytesFreed"]), (True, 2, 120_000), dry)
        self.assertTrue(os.path.isdir(self.job_dir("free", old[0])))
        report = self.sweep()
        self.assertEqual((report["expiredJobs"], report["bytesFreed"], report["error"]), (2, 120_000, None), report)
        for job in old:
            j = self.as_key(self.keys["free"], "GET", "/jobs/" + job["id"]).json()
            self.assertEqual(j["status"], "expired")
            self.assertFalse(os.path.exists(self.job_dir("free", job)), "storage of %s" % job["id"])
        self.assertEqual(self.as_key(self.keys["pro"], "GET", "/jobs/" + kept["id"]).json()["status"], "completed")
        self.assertTrue(os.path.isdir(self.job_dir("pro", kept)))
        usage = self.as_key(self.keys["free"], "GET", "/usage").json()
        self.assertEqual(usage["storage"]["used"], 0)
        path = "/" + url.split("/", 3)[3]
        self.assertEqual(self.daemon.request("GET", path, auth=False).status, 403)
        entries = self.audit(action="storage.expire")
        self.assertEqual(sorted(e["target"] for e in entries), sorted("job:" + j["id"] for j in old))
        for e in entries:
            self.assertEqual((e["actorId"], e["detail"]["reason"], e["detail"]["ticketId"], e["detail"]["retentionDays"]),
                             ("local", "monthly storage review", "OPS-12", 0))
        self.assertEqual(self.audit(action="storage.sweep")[0]["detail"]["expiredJobs"], 2)
        r = self.cli("admin", "storage", "sweeps")
        self.assertRegex(r.stdout, r"admin\s+2\s+0\s+0\s+117.2 KiB\s+done")

    def test_orphans_both_ways(self):
        job = self.completed_job("pro", "d.bin", 40_000)
        gone = self.completed_job("pro", "e.bin", 20_000)
        # An object no job row names (its job never existed here) ...
        stray = os.path.join(self.storage, self.pro["id"], "00000000000000aa", "files", "stray.bin")
        os.makedirs(os.path.dirname(stray))
        with open(stray, "wb") as f:
            f.write(b"x" * 1234)
        # ... and a row whose object vanished.
        victim = os.path.join(self.job_dir("pro", gone), "files", "e.bin")
        os.unlink(victim)
        report = self.sweep()
        self.assertEqual((report["expiredJobs"], report["orphanObjects"], report["orphanRows"]), (0, 1, 1), report)
        self.assertFalse(os.path.exists(stray))
        self.assertFalse(os.path.exists(os.path.dirname(os.path.dirname(stray))))
        files = self.as_key(self.keys["pro"], "GET", "/jobs/%s/files" % gone["id"]).json()["files"]
        self.assertIsNone(files[0]["id"])
        self.assertTrue(os.path.exists(os.path.join(self.job_dir("pro", job), "files", "d.bin")))
        self.assertTrue(os.path.exists(os.path.join(self.job_dir("pro", job), "metadata.json")))
        obj = self.audit(action="storage.orphan_object")[0]
        self.assertEqual((obj["target"], obj["detail"]["bytes"]),
                         ("object:%s/00000000000000aa/files/stray.bin" % self.pro["id"], 1234))
        row = self.audit(action="storage.orphan_row")[0]
        self.assertEqual((row["target"], row["detail"]["path"]), ("job:" + gone["id"], "e.bin"))

    def test_a_sweep_needs_a_reason_and_a_ticket(self):
        r = self.cli("admin", "storage", "sweep", "--reason", "short", "--ticket", "X")
        self.assertEqual(r.returncode, 2, r.stderr)
        r = self.daemon.socket_request("POST", "/admin/storage/sweep", {"reason": "monthly storage review"})
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(self.daemon.socket_request("GET", "/admin/storage/sweeps").json()["sweeps"], [])


if __name__ == "__main__":
    unittest.main()
