"""Credentials end with their owner's rights: a suspended account's download links stop at once;
a password change keeps only the credential it came through, a reset and a staff force-logout
keep none, and each ends the account's mailed reset tokens."""
import unittest
import urllib.parse

from accounts_support import PASSWORD, AccountsCase
from harness import run_cli, wait_for

WHY = {"reason": "abuse report from the host", "ticketId": "T-7"}


class CredentialsEndTest(AccountsCase):
    def reset_token(self, email):
        """A fresh mailed reset token of the account."""
        before = len(self.smtp.messages())
        r = self.daemon.request("POST", "/auth/reset-request", {"email": email}, auth=False)
        self.assertEqual(r.status, 202)
        return self.token_from(self.smtp.wait_for_mail(email, "Reset", count=before + 1))

    def reset_refused(self, token):
        r = self.daemon.request("POST", "/auth/reset-confirm", {"token": token, "password": "quiet lantern evening"},
                                auth=False)
        return r.status == 400

    def keys_ls(self, key):
        r = run_cli("--url", self.daemon.url, "--json", "keys", "ls", env={"TSEEDER_API_KEY": key})
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_a_suspended_accounts_links_stop_at_once_and_come_back_with_it(self):
        user = self.add_user("dana@example.com")
        key = self.api_key_for("dana@example.com")
        self.add_file("d.bin", 10_000)
        job = self.as_key(key, "POST", "/jobs", {"url": self.http.url("d.bin")}).json()
        wait_for(lambda: self.as_key(key, "GET", "/jobs/" + job["id"]).json()["status"] == "completed", 30, "the job")
        file_id = self.as_key(key, "GET", "/jobs/%s/files" % job["id"]).json()["files"][0]["id"]
        link = urllib.parse.urlsplit(self.as_key(key, "GET", "/jobs/%s/files/%d/url" % (job["id"], file_id))
                                     .json()["url"]).path
        self.assertEqual(self.daemon.request("GET", link, auth=False).status, 200)
        token = self.reset_token("dana@example.com")

        r = self.daemon.socket_request("POST", "/admin/users/%s/suspend" % user["id"], WHY)
        self.assertEqual(r.status, 200, r.body)
        r = self.daemon.request("GET", link, auth=False)
        self.assertEqual(r.status, 403)
        self.assertIn("not valid", r.body.decode(), "link holders learn nothing of the account")
        self.assertEqual(self.as_key(key, "GET", "/auth/me").status, 403)
        self.assertTrue(self.reset_refused(token))

        r = self.daemon.socket_request("POST", "/admin/users/%s/unsuspend" % user["id"], {})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.daemon.request("GET", link, auth=False).status, 200)
        self.assertEqual(self.as_key(key, "GET", "/auth/me").status, 200, "a suspension leaves keys dormant")

    def test_a_password_change_keeps_only_the_credential_it_came_through(self):
        self.add_user("erin@example.com", plan="pro")
        browser = self.login("erin@example.com")
        here = self.api_key_for("erin@example.com")
        other = self.api_key_for("erin@example.com")
        token = self.reset_token("erin@example.com")
        r = self.as_key(here, "POST", "/auth/password", {"currentPassword": PASSWORD, "password": "river of stones"})
        self.assertEqual(r.status, 200, r.body)
        # Three keys in all (api_key_for logs in each time; those sessions end too).
        self.assertEqual((r.json()["apiKeysRevoked"], r.json()["resetTokensEnded"]), (1, 1))
        self.assertGreaterEqual(r.json()["sessionsEnded"], 1)
        self.assertEqual(self.as_key(here, "GET", "/auth/me").status, 200)
        self.assertEqual(self.as_key(other, "GET", "/auth/me").status, 401)
        self.assertEqual(browser.request("GET", "/auth/me", csrf=False).status, 401)
        self.assertTrue(self.reset_refused(token))
        listed = self.keys_ls(here)
        self.assertIn(here.split("_")[1], listed)
        self.assertNotIn(other.split("_")[1], listed)

    def test_a_password_reset_ends_every_key_session_and_other_token(self):
        self.add_user("fred@example.com")
        key = self.api_key_for("fred@example.com")
        browser = self.login("fred@example.com")
        earlier = self.reset_token("fred@example.com")
        latest = self.reset_token("fred@example.com")
        r = self.daemon.request("POST", "/auth/reset-confirm", {"token": latest, "password": "new harbour lights"},
                                auth=False)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.as_key(key, "GET", "/auth/me").status, 401)
        self.assertEqual(browser.request("GET", "/auth/me", csrf=False).status, 401)
        self.assertTrue(self.reset_refused(earlier))
        entry = self.audit(action="user.password_reset")[0]
        self.assertEqual(entry["detail"]["apiKeysRevoked"], 1)

    def test_force_logout_ends_sessions_keys_and_reset_tokens(self):
        user = self.add_user("gina@example.com")
        key = self.api_key_for("gina@example.com")
        browser = self.login("gina@example.com")
        token = self.reset_token("gina@example.com")
        r = self.daemon.socket_request("POST", "/admin/users/%s/force-logout" % user["id"], WHY)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json()["apiKeysRevoked"], 1)
        self.assertEqual(r.json()["resetTokensEnded"], 1)
        self.assertEqual(self.as_key(key, "GET", "/auth/me").status, 401)
        self.assertEqual(browser.request("GET", "/auth/me", csrf=False).status, 401)
        self.assertTrue(self.reset_refused(token))
        self.login("gina@example.com")  # the password still works: a logout, not a lock


if __name__ == "__main__":
    unittest.main()
