"""Join tokens for new agents: admins make them (24 h, shown once, only a hash kept), at most 5 a
minute; each is audited and listed without its secret."""
import json
import os
import sqlite3
import time
import unittest

from accounts_support import AccountsCase

DAY_MS = 24 * 3600 * 1000


class JoinTokenTest(AccountsCase):
    def make(self, **body):
        return self.daemon.socket_request("POST", "/admin/fleet/join-tokens", body)

    def test_a_token_is_shown_once_kept_as_a_hash_and_audited(self):
        before = int(time.time() * 1000)
        r = self.cli("--json", "admin", "fleet", "token", "--note", "rack 4, box 2")
        self.assertEqual(r.returncode, 0, r.stderr)
        made = json.loads(r.stdout)
        token, rec = made["token"], made["joinToken"]
        self.assertRegex(token, r"^tsj_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$")
        self.assertEqual(token[4:20], rec["id"])
        self.assertEqual(rec["expiresAt"] - rec["createdAt"], DAY_MS)
        self.assertGreaterEqual(rec["createdAt"], before)
        self.assertEqual((rec["note"], rec["usedAt"]), ("rack 4, box 2", None))
        listed = self.daemon.socket_request("GET", "/admin/fleet/join-tokens").json()["joinTokens"]
        self.assertEqual([t["id"] for t in listed], [rec["id"]])
        self.assertNotIn(token.split("_", 2)[2], str(listed))
        con = sqlite3.connect(os.path.join(self.daemon.data_dir, "tseeder.db"), timeout=5)
        try:
            dump = "\n".join(con.iterdump())
        finally:
            con.close()
        self.assertNotIn(token.split("_", 2)[2], dump)  # only its hash is stored
        entries = self.audit(action="fleet.join_token.create")
        self.assertEqual([(e["target"], e["detail"]["note"]) for e in entries],
                         [("join-token:" + rec["id"], "rack 4, box 2")])
        self.assertNotIn(token.split("_", 2)[2], str(entries))
        r = self.cli("admin", "fleet", "tokens")
        self.assertRegex(r.stdout, rec["id"] + r"\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC")

    def test_at_most_five_a_minute(self):
        for i in range(5):
            self.assertEqual(self.make(note="agent %d" % i).status, 201)
        r = self.make(note="agent 6")
        self.assertEqual(r.status, 429, r.body)
        self.assertEqual(r.json()["error"]["code"], "RATE_LIMITED")
        self.assertGreaterEqual(int(r.headers["Retry-After"]), 1)
        self.assertEqual(len(self.daemon.socket_request("GET", "/admin/fleet/join-tokens").json()["joinTokens"]), 5)

    def test_bad_input_makes_nothing(self):
        for body, field in (({"note": "x" * 201}, "note"), ({"note": 5}, "note"), ({"ttl": 1}, "ttl")):
            r = self.make(**body)
            self.assertEqual(r.status, 400, r.body)
            self.assertIn(field, r.body.decode())
        self.assertEqual(self.daemon.socket_request("GET", "/admin/fleet/join-tokens").json()["joinTokens"], [])

    def test_only_admins(self):
        self.add_user("help@example.com", role="support")
        key = self.api_key_for("help@example.com")
        self.assertEqual(self.as_key(key, "POST", "/admin/fleet/join-tokens", {}).status, 403)
        self.assertEqual(self.as_key(key, "GET", "/admin/fleet/join-tokens").status, 403)


if __name__ == "__main__":
    unittest.main()
