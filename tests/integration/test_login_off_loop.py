"""Passwords are hashed and checked off the event loop: eight logins at once (Argon2id, 19 MiB
and tens of milliseconds each), or staff adding eight accounts with passwords, leave /health
answering within 20 ms."""
import http.client
import threading
import time
import unittest
import urllib.parse

from accounts_support import PASSWORD, AccountsCase


class LoginOffLoopTest(AccountsCase):
    config_lines = ("limits:", "  login_per_minute_ip: 1000", "  login_per_minute_account: 1000")

    def worst_health_while(self, threads):
        """Starts `threads`, polls /health until they end; the slowest answer in seconds."""
        u = urllib.parse.urlsplit(self.daemon.url)
        health = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        for t in threads:
            t.start()
        worst, samples = 0.0, 0
        while any(t.is_alive() for t in threads):
            began = time.monotonic()
            health.request("GET", "/health")
            resp = health.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200)
            worst = max(worst, time.monotonic() - began)
            samples += 1
        for t in threads:
            t.join(timeout=60)
        health.close()
        self.assertGreater(samples, 10)
        return worst

    def test_staff_adding_accounts_leaves_health_quick(self):
        added = []

        def add(i):
            for r in range(3):
                added.append(self.add_user("staff%d-%d@example.com" % (i, r))["email"])

        worst = self.worst_health_while([threading.Thread(target=add, args=(i,)) for i in range(8)])
        self.assertEqual(len(set(added)), 24)
        self.assertLess(worst, 0.020, "worst /health while adding accounts: %.1f ms" % (worst * 1000))

    def test_eight_logins_at_once_leave_health_quick(self):
        for i in range(8):
            self.add_user("load%d@example.com" % i)
        u = urllib.parse.urlsplit(self.daemon.url)
        statuses = []

        def log_in(i, rounds=3):
            for r in range(rounds):
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
                body = '{"email":"load%d@example.com","password":"%s"}' % (i, PASSWORD if r % 2 == 0 else "wrong pass")
                conn.request("POST", "/auth/login", body, {"Content-Type": "application/json"})
                statuses.append(conn.getresponse().status)
                conn.close()

        worst = self.worst_health_while([threading.Thread(target=log_in, args=(i,)) for i in range(8)])
        self.assertEqual(sorted(set(statuses)), [200, 401])
        self.assertEqual(len(statuses), 24)
        self.assertLess(worst, 0.020, "worst /health while logging in: %.1f ms" % (worst * 1000))


if __name__ == "__main__":
    unittest.main()
