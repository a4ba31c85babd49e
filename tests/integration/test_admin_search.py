"""GET /admin/search and `tseeder admin search`: accounts, jobs and audit entries found by what
staff type, grouped with previews, paged per kind; bad queries are refused."""
import json
import urllib.parse
import unittest

from accounts_support import AccountsCase
from harness import run_cli


class AdminSearchTest(AccountsCase):
    def setUp(self):
        super().setUp()
        self.alice = self.add_user("alice.search@example.com")
        self.bob = self.add_user("bob@example.org")
        key = self.api_key_for("alice.search@example.com")
        bob_key = self.api_key_for("bob@example.org")  # the free plan runs two jobs at once
        self.add_file("Holiday Photos 2026.zip", 1000)
        self.add_file("report.pdf", 1000)
        self.photos = self.as_key(key, "POST", "/jobs", {"url": self.http.url("Holiday%20Photos%202026.zip")}).json()
        self.report = self.as_key(key, "POST", "/jobs", {"url": self.http.url("report.pdf")}).json()
        # A URL job is named from its URL at once, so search finds it before its download starts.
        self.assertEqual(self.photos["name"], "Holiday Photos 2026.zip")
        magnet = "magnet:?xt=urn:btih:" + "ab12" * 10 + "&dn=Linux%20ISO"
        self.magnet = self.as_key(bob_key, "POST", "/jobs", {"magnet": magnet}).json()

    def search(self, q, **params):
        r = self.daemon.socket_request("GET", "/admin/search?" + urllib.parse.urlencode(dict(params, q=q)))
        self.assertEqual(r.status, 200, r.body)
        return r.json()

    def ids(self, answer, kind):
        return [h["id"] for h in answer[kind]]

    def test_finds_accounts_jobs_and_audit_entries(self):
        found = self.search("alice.s")
        self.assertEqual(self.ids(found, "users"), [self.alice["id"]])
        self.assertIn("alice.search@example.com · user · plan free", found["users"][0]["preview"])
        self.assertEqual(self.ids(self.search(self.bob["id"]), "users"), [self.bob["id"]])
        # Any part of a job's name or source, any case; an id or infohash by its start.
        self.assertEqual(self.ids(self.search("photos 20"), "jobs"), [self.photos["id"]])
        self.assertEqual(self.ids(self.search("report.p"), "jobs"), [self.report["id"]])
        self.assertEqual(self.ids(self.search("AB12AB12"), "jobs"), [self.magnet["id"]])
        self.assertEqual(self.ids(self.search(self.photos["id"][:6]), "jobs"), [self.photos["id"]])
        hit = self.search(self.report["id"])["jobs"][0]
        self.assertEqual(hit["userId"], self.alice["id"])
        self.assertRegex(hit["preview"], r"^\w+ · report\.pdf · owner " + self.alice["id"])
        # Audit entries by action, actor or target (a bare id finds user:ID).
        self.assertEqual({h["preview"].split(" · ")[1] for h in self.search("user.add")["audit"]}, {"user.add"})
        # An account's id finds what it did (actor) and what was done to it (target user:ID).
        about_bob = [h["preview"] for h in self.search(self.bob["id"], types="audit")["audit"]]
        self.assertIn("user.add · user:%s · by local" % self.bob["id"], about_bob[-1])
        self.assertTrue(all(p.endswith("by " + self.bob["id"]) or "user:" + self.bob["id"] in p for p in about_bob),
                        about_bob)
        self.assertIn("job.create", about_bob[0])
        self.assertEqual(set(self.search("nothing-like-this")["users"]), set())
        self.assertEqual(sorted(self.search("report", types="jobs")), ["jobs", "next", "q"])

    def test_pages_one_kind_at_a_time(self):
        # Both URL jobs come from the test server; "example" starts no email (emails match by their start).
        first = self.search("127.0.0.1", types="users,jobs", limit=1)
        self.assertEqual((first["users"], first["next"]["users"]), ([], None))
        self.assertEqual(self.ids(first, "jobs"), [self.report["id"]])
        r = self.daemon.socket_request("GET", first["next"]["jobs"])
        self.assertEqual(r.status, 200, r.body)
        second = r.json()
        self.assertEqual((self.ids(second, "jobs"), "users" in second), ([self.photos["id"]], False))
        self.assertIsNone(second["next"]["jobs"])
        self.assertEqual(self.search("example", types="users")["users"], [])
        # Audit entries page by their id alone.
        first = self.search("user.add", types="audit", limit=1)
        r = self.daemon.socket_request("GET", first["next"]["audit"])
        self.assertEqual(r.status, 200, r.body)
        self.assertLess(r.json()["audit"][0]["id"], first["audit"][0]["id"])

    def test_bad_queries_are_refused(self):
        for params, field in [({"q": ""}, "q"), ({"q": "   "}, "q"), ({"q": "x" * 10240}, "q"),
                              ({"q": "a\x01b"}, "q"), ({"q": "ok", "types": "users,files"}, "types"),
                              ({"q": "ok", "limit": "-1"}, "limit"), ({"q": "ok", "limit": "101"}, "limit"),
                              ({"q": "ok", "after": "1:x"}, "after"), ({}, "q")]:
            r = self.daemon.socket_request("GET", "/admin/search?" + urllib.parse.urlencode(params))
            self.assertEqual(r.status, 400, (params, r.body))
            self.assertIn(field, r.body.decode(), params)
        # Wildcards and quotes are text, not syntax.
        for q in ["%", "_", "%%%", "'", '"', "a' OR '1'='1", '"report"', "re*", "NEAR(a b)"]:
            found = self.search(q)
            self.assertEqual((found["users"], found["jobs"]), ([], []), q)

    def test_the_cli(self):
        r = run_cli("--socket", self.daemon.socket, "admin", "search", "holiday")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("jobs (1)\n  %s  " % self.photos["id"], r.stdout)
        r = run_cli("--socket", self.daemon.socket, "--json", "admin", "search", "bob@", "--types", "users")
        self.assertEqual([h["id"] for h in json.loads(r.stdout)["users"]], [self.bob["id"]])


if __name__ == "__main__":
    unittest.main()
