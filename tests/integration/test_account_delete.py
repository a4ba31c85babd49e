"""DELETE /admin/users/{id} and `tseeder admin users delete`: an account without jobs goes with its
sessions and keys, with a reason and a ticket; one with jobs is refused and nothing changes."""
import unittest

from accounts_support import AccountsCase

WHY = {"reason": "smoke account no longer needed", "ticketId": "OPS-9"}


class AccountDeleteTest(AccountsCase):
    def test_delete_an_account_without_jobs(self):
        user = self.add_user("leaving@example.com")
        key = self.api_key_for("leaving@example.com")
        self.assertEqual(self.as_key(key, "GET", "/auth/me").status, 200)
        r = self.daemon.socket_request("DELETE", "/admin/users/" + user["id"], {"reason": "short", "ticketId": "T"})
        self.assertEqual(r.status, 400, r.body)  # a reason of 10 characters or more
        self.assertEqual(self.daemon.socket_request("GET", "/admin/users/" + user["id"]).status, 200)

        r = self.cli("admin", "users", "delete", "leaving@example.com", "--reason", WHY["reason"], "--ticket", "OPS-9")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.daemon.socket_request("GET", "/admin/users/" + user["id"]).status, 404)
        self.assertEqual(self.as_key(key, "GET", "/auth/me").status, 401)  # its key went with it
        self.assertEqual(self.daemon.db_rows("SELECT count(*) FROM sessions WHERE user_id = ?", (user["id"],)),
                         [(0,)])
        entry = self.audit(action="user.delete")[0]
        self.assertEqual((entry["target"], entry["detail"]["email"], entry["detail"]["ticketId"]),
                         ("user:" + user["id"], "leaving@example.com", "OPS-9"))
        # The address is free again.
        self.add_user("leaving@example.com")

    def test_an_account_with_jobs_is_refused(self):
        user = self.add_user("keeper@example.com")
        key = self.api_key_for("keeper@example.com")
        self.add_file("k.bin", 1000)
        r = self.as_key(key, "POST", "/jobs", {"url": self.http.url("k.bin")})
        self.assertEqual(r.status, 201, r.body)
        r = self.daemon.socket_request("DELETE", "/admin/users/" + user["id"], WHY)
        self.assertEqual(r.status, 409, r.body)
        self.assertIn("still holds jobs", r.body.decode())
        self.assertEqual(self.as_key(key, "GET", "/auth/me").status, 200)
        self.assertEqual(self.audit(action="user.delete"), [])


if __name__ == "__main__":
    unittest.main()
