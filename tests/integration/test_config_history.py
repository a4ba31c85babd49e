"""Config history: plan limits, the blocklist, the provider and the config file read at each start
are recorded with version, old -> new, who, why and when; secrets only as changed; diffs between
versions; bad queries refused."""
import json
import urllib.parse
import unittest

from harness import DaemonTest

INFOHASH = "c0ffee" + "0" * 34
REASON = {"reason": "customer asked for more room", "ticketId": "OPS-42"}


class ConfigHistoryTest(DaemonTest):
    def start_with(self, text):
        if self.daemon.proc is not None:
            self.assertEqual(self.daemon.stop(), 0)
        self.daemon.config = self.config_file(text)
        self.daemon.start()

    def history(self, **params):
        r = self.daemon.socket_request("GET", "/admin/config-history?" + urllib.parse.urlencode(params))
        self.assertEqual(r.status, 200, r.body)
        return r.json()["changes"]

    def changes_of(self, key):
        return [(c["from"], c["to"]) for c in self.history(key=key, limit=1000) if c["key"] == key]

    def test_records_staff_changes_and_the_config_read_at_start(self):
        self.start_with("jobs:\n  max_active: 3\n")
        first = self.history(key="config.jobs.max_active")
        self.assertEqual([(c["from"], c["to"], c["actor"], c["ticketId"]) for c in first],
                         [("4", "3", None, "")], first)
        self.assertIn("read at start", first[0]["reason"])

        # A plan's limits: one entry per field changed, with the actor, reason and ticket.
        r = self.daemon.socket_request("PATCH", "/admin/plans/free",
                                       dict(REASON, maxActiveJobs=5, storageBytes=None, name="Free"))
        self.assertEqual(r.status, 200, r.body)
        plan = {c["key"]: c for c in self.history(key="plan.free")}
        self.assertEqual(sorted(plan), ["plan.free.maxActiveJobs", "plan.free.storageBytes"])  # the name is unchanged
        self.assertEqual((plan["plan.free.maxActiveJobs"]["from"], plan["plan.free.maxActiveJobs"]["to"]), ("2", "5"))
        self.assertEqual(plan["plan.free.storageBytes"]["to"], "unlimited")
        for c in plan.values():
            self.assertEqual((c["actor"], c["reason"], c["ticketId"]), ("local", REASON["reason"], "OPS-42"))

        # The blocklist: added, then removed.
        r = self.daemon.socket_request("POST", "/admin/blocklist", dict(REASON, infohash=INFOHASH))
        self.assertEqual(r.status, 201, r.body)
        r = self.daemon.socket_request("DELETE", "/admin/blocklist/" + INFOHASH, REASON)
        self.assertEqual(r.status, 204, r.body)
        self.assertEqual(self.changes_of("blocklist." + INFOHASH), [("blocked", "not blocked"), ("not blocked", "blocked")])

        # The provider switch is in the same history.
        r = self.daemon.socket_request("POST", "/admin/providers/switch", dict(REASON, provider="seedr"))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.changes_of("provider.torrent"), [("local", "seedr")])

        # A rejected change records nothing.
        before = len(self.history(limit=1000))
        r = self.daemon.socket_request("PATCH", "/admin/plans/free", {"maxActiveJobs": 7})  # no reason
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(len(self.history(limit=1000)), before)

    def test_secrets_are_recorded_as_changed_and_restarts_record_only_differences(self):
        self.start_with("smtp:\n  username: ops\n")
        self.start_with("smtp:\n  username: ops\n  password: hunter2-first\n")
        self.start_with("smtp:\n  username: ops\n  password: hunter2-second\n")
        self.start_with("smtp:\n  username: ops\n  password: hunter2-second\n")  # the same: nothing new
        self.assertEqual(self.changes_of("config.smtp.password"),
                         [("(secret)", "(secret, changed)"), ("(unset)", "(secret, changed)")])
        self.assertEqual(self.changes_of("config.smtp.username"), [('""', '"ops"')])
        every = json.dumps(self.history(limit=1000))
        self.assertNotIn("hunter2", every)
        for row in self.daemon.db_rows("SELECT value FROM runtime_settings UNION ALL "
                                       "SELECT coalesce(old_value, '') || new_value FROM setting_changes"):
            self.assertNotIn("hunter2", row[0])
        # Back to no password.
        self.start_with("smtp:\n  username: ops\n")
        self.assertEqual(self.changes_of("config.smtp.password")[0], ("(secret)", "(unset)"))

    def test_diff_and_cli(self):
        self.start_with("jobs:\n  max_active: 3\n")
        base = self.history(limit=1)[0]["version"]
        for n in (4, 6):
            r = self.daemon.socket_request("PATCH", "/admin/plans/free", dict(REASON, maxActiveJobs=n))
            self.assertEqual(r.status, 200, r.body)
        self.start_with("jobs:\n  max_active: 4\n")
        latest = self.history(limit=1)[0]["version"]
        r = self.daemon.socket_request("GET", "/admin/config-history/diff?from=%d&to=%d" % (base, latest))
        self.assertEqual(r.status, 200, r.body)
        keys = {k["key"]: k for k in r.json()["keys"]}
        self.assertEqual(sorted(keys), ["config.jobs.max_active", "plan.free.maxActiveJobs"])
        self.assertEqual((keys["plan.free.maxActiveJobs"]["from"], keys["plan.free.maxActiveJobs"]["to"],
                          keys["plan.free.maxActiveJobs"]["changes"]), ("2", "6", 2))
        self.assertEqual((keys["config.jobs.max_active"]["from"], keys["config.jobs.max_active"]["to"]), ("3", "4"))

        out = self.cli("admin", "config", "diff", str(base), str(latest))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("- plan.free.maxActiveJobs: 2\n+ plan.free.maxActiveJobs: 6\n", out.stdout)
        self.assertIn("(2 changes, last in version", out.stdout)
        self.assertIn("- config.jobs.max_active: 3\n+ config.jobs.max_active: 4\n", out.stdout)
        out = self.cli("admin", "config", "history", "plan.free")
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(len(lines), 3, out.stdout)  # a header and two changes, newest first
        self.assertRegex(lines[1], r"plan\.free\.maxActiveJobs\s+4 -> 6\s+local\s+OPS-42\s+customer asked")
        out = self.cli("admin", "config", "history", "--limit", "1")
        self.assertIn("older changes: --before %d" % latest, out.stdout)
        out = self.cli("admin", "config", "history", "--limit", "1", "--before", str(latest))
        self.assertIn("plan.free.maxActiveJobs", out.stdout)

        # Paging follows each page's next link.
        r = self.daemon.socket_request("GET", "/admin/config-history?limit=1")
        second = self.daemon.socket_request("GET", r.json()["next"])
        self.assertEqual(second.status, 200, second.body)
        self.assertEqual(second.json()["changes"][0]["version"], latest - 1)

    def test_bad_queries_are_refused(self):
        self.start_with("jobs:\n  max_active: 3\n")
        latest = self.history(limit=1)[0]["version"]
        for path, status, field in [
                ("/admin/config-history?key=" + urllib.parse.quote("plan free"), 400, "key"),
                ("/admin/config-history?key=%25", 400, "key"),
                ("/admin/config-history?key=" + "a" * 201, 400, "key"),
                ("/admin/config-history?key=", 400, "key"),
                ("/admin/config-history?limit=-1", 400, "limit"),
                ("/admin/config-history?after=x", 400, "after"),
                ("/admin/config-history/diff?from=1", 400, "from"),
                ("/admin/config-history/diff?from=-1&to=1", 400, "from"),
                ("/admin/config-history/diff?from=%d&to=%d" % (latest, latest), 400, "before"),
                ("/admin/config-history/diff?from=0&to=%d" % (latest + 1), 404, "does not exist")]:
            r = self.daemon.socket_request("GET", path)
            self.assertEqual(r.status, status, (path, r.body))
            self.assertIn(field, r.body.decode(), path)
        out = self.cli("admin", "config", "diff", "5", "2")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("is not before", out.stderr)


if __name__ == "__main__":
    unittest.main()
