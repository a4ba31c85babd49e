"""`tseeder smoke` against real daemons: every step passes on a healthy one and nothing is left
behind; with a storage backend that cannot be reached it fails at completion and still cleans up;
an unreachable daemon exits 4."""
import json
import unittest

from accounts_support import AccountsCase
from harness import DaemonTest, free_port, run_cli

STEPS = ["health", "account", "login", "api key", "job", "progress", "completion", "link", "zip", "delete",
         "logout", "cleanup"]



class SmokeTest(DaemonTest):
    def start_with(self, text):
        self.daemon.config = self.config_file(text)
        self.daemon.start()

    def smoke(self, *args):
        return self.cli("--json", "smoke", "--timeout", "60", *args, timeout=120)


    def test_every_step_passes_and_nothing_is_left(self):
        self.start_with("scan:\n  enabled: false\n")
        r = self.smoke()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = json.loads(r.stdout)
        self.assertTrue(out["ok"])
        self.assertEqual([(s["step"], s["status"]) for s in out["steps"]], [(s, "PASS") for s in STEPS])
        detail = {s["step"]: s["detail"] for s in out["steps"]}
        self.assertRegex(detail["link"], r"^1048593 bytes, SHA-256 [0-9a-f]{16}… matches$")
        self.assertIn("last status completed", detail["progress"])
        self.assertEqual(detail["completion"], "completed, scan skipped")
        actions = [e["action"] for e in self.daemon.socket_request("GET", "/admin/audit?limit=100").json()["entries"]]
        self.assertIn("user.delete", actions)
        self.assertEqual(self.daemon.db_rows("SELECT count(*) FROM api_keys WHERE name = 'tseeder smoke'"), [(0,)])
        self.assertEqual(self.daemon.db_rows("SELECT count(*) FROM jobs"), [(0,)])
        self.assertEqual(self.daemon.db_rows("SELECT count(*) FROM sessions WHERE revoked_at IS NULL"), [(0,)])
        users = self.daemon.socket_request("GET", "/admin/users").json()["users"]
        self.assertEqual([u for u in users if "smoke" in (u.get("email") or "")], [])

        # Plain text: one line per step.
        r = self.cli("smoke", timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual([line.split()[:2] for line in r.stdout.splitlines()][:2], [["PASS", "health"],
                                                                                     ["PASS", "account"]])

    def test_a_broken_storage_backend_fails_at_completion_and_is_cleaned_up(self):
        self.start_with("scan:\n  enabled: false\njobs:\n  retry_max_attempts: 1\n"
                        "storage:\n  backend: s3\n  s3:\n    endpoint: http://127.0.0.1:%d\n    bucket: b\n"
                        "    access_key: AKIDEXAMPLE\n    secret_key: not-a-real-secret\n    max_attempts: 1\n"
                        % free_port())
        r = self.smoke()
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        steps = json.loads(r.stdout)["steps"]
        self.assertEqual([(s["step"], s["status"]) for s in steps],
                         [(s, "PASS") for s in STEPS[:6]] + [("completion", "FAIL"), ("cleanup", "PASS")])
        self.assertIn("failed", steps[6]["detail"])
        self.assertEqual(self.daemon.db_rows("SELECT count(*) FROM jobs"), [(0,)])
        self.assertEqual(self.daemon.db_rows("SELECT count(*) FROM api_keys WHERE name = 'tseeder smoke'"), [(0,)])
        users = self.daemon.socket_request("GET", "/admin/users").json()["users"]
        self.assertEqual([u for u in users if "smoke" in (u.get("email") or "")], [])

    def test_an_unreachable_daemon_exits_4(self):
        r = run_cli("--url", "http://127.0.0.1:%d" % free_port(), "smoke", timeout=60)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"^FAIL  health ")


class SmokeAccountsTest(AccountsCase):
    config_lines = ("scan:", "  enabled: false")

    def setUp(self):
        # Signed links and mails use the public URL: here it must be where the daemon listens.
        port = free_port()
        self.listen = "127.0.0.1:%d" % port
        self.public_url = "http://127.0.0.1:%d" % port
        super().setUp()

    def test_register_and_verify_through_the_mail_sink(self):
        r = self.cli("--json", "smoke", "--smtp-sink", self.smtp.dir, "--timeout", "60", timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        steps = json.loads(r.stdout)["steps"]
        self.assertEqual([(s["step"], s["status"]) for s in steps], [(s, "PASS") for s in STEPS])
        self.assertIn("verified by the mail", steps[1]["detail"])
        self.assertEqual(self.audit(action="user.delete")[0]["detail"]["reason"], "tseeder smoke: its temporary account")

    def test_an_existing_key_of_a_user(self):
        self.add_user("operator-script@example.com")
        key = self.api_key_for("operator-script@example.com")
        r = run_cli("--url", self.daemon.url, "--api-key", key, "--json", "smoke", "--timeout", "60", timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        steps = json.loads(r.stdout)["steps"]
        self.assertEqual([s["status"] for s in steps],
                         ["PASS", "PASS", "SKIP", "SKIP", "PASS", "PASS", "PASS", "PASS", "PASS", "PASS", "PASS"])
        self.assertEqual(steps[1]["detail"], "your own key (not an admin: no temporary account)")
        self.assertEqual(self.as_key(key, "GET", "/auth/me").status, 200)  # the caller's key stays
        self.assertEqual(self.daemon.db_rows("SELECT count(*) FROM jobs"), [(0,)])


if __name__ == "__main__":
    unittest.main()
