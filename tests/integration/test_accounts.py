"""Accounts end to end: registration with a verification mail, login, cookie and CSRF, API
keys, password reset through a real SMTP sink, lockout, sessions, ownership, the Unix socket's
peer mapping and the audit trail; no secret ever reaches the log."""
import http.client
import json
import os
import stat
import subprocess
import time
import unittest
import urllib.parse

from accounts_support import PASSWORD, AccountsCase
from harness import PYTHON, run_cli, wait_for


def key_secret(key):
    """The secret of "tsk_PREFIX_SECRET"; it is base64url, so it may hold "_" itself."""
    return key.split("_", 2)[2]


class RegistrationTest(AccountsCase):
    config_lines = ("limits:", "  login_per_minute_ip: 1000", "  login_per_minute_account: 1000")

    def test_register_verify_login_cookie_csrf_and_logout(self):
        bad = [({"email": "a@example.com", "password": PASSWORD}, "acceptedAup"),
               ({"email": "a@example.com", "password": "password1", "acceptedAup": True}, "most common"),
               ({"email": "a@example.com", "password": "short", "acceptedAup": True}, "8 to 128"),
               ({"email": "not-an-email", "password": PASSWORD, "acceptedAup": True}, "email")]
        for body, why in bad:
            r = self.daemon.request("POST", "/auth/register", body, auth=False)
            self.assertEqual(r.status, 400, r.body)
            self.assertIn(why, r.body.decode())
        self.assertEqual(self.daemon.db_count("users"), 1)  # only the built-in operator

        r = self.daemon.request("POST", "/auth/register",
                                {"email": "Alice@Example.com", "password": PASSWORD, "acceptedAup": True}, auth=False)
        self.assertEqual(r.status, 202, r.body)
        self.assertEqual(r.json()["email"], "alice@example.com")
        self.assertTrue(r.json()["verificationRequired"])
        # The same address again: the same answer, and its owner hears of it (no account discovery).
        again = self.daemon.request("POST", "/auth/register",
                                    {"email": "alice@example.com", "password": PASSWORD, "acceptedAup": True},
                                    auth=False)
        self.assertEqual((again.status, again.json()), (r.status, r.json()))
        self.smtp.wait_for_mail("alice@example.com", "tried to register")
        self.assertEqual(self.daemon.db_count("users"), 2)

        r = self.login("alice@example.com", expect=403)
        self.assertIn("not verified", r.body.decode())

        token = self.token_from(self.smtp.wait_for_mail("alice@example.com", "Verify"))
        r = self.daemon.request("GET", "/auth/verify?token=" + token, auth=False)
        self.assertEqual(r.status, 200, r.body)
        r = self.daemon.request("POST", "/auth/verify", {"token": token}, auth=False)
        self.assertEqual(r.status, 400, "a token works once")

        r = self.daemon.request("POST", "/auth/login", {"email": "alice@example.com", "password": PASSWORD}, auth=False)
        self.assertEqual(r.status, 200, r.body)
        cookie = r.headers["Set-Cookie"]
        self.assertTrue(cookie.startswith("tseeder_session="), cookie)  # __Host- needs Secure (test_cookies)
        for attr in ("Path=/", "HttpOnly", "SameSite=Strict"):
            self.assertIn(attr, cookie)
        self.assertNotIn("Secure", cookie, "plain http: a Secure cookie would never come back")
        self.assertNotIn("Domain", cookie)
        browser = self.login("alice@example.com")

        me = browser.request("GET", "/auth/me", csrf=False)
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json()["user"]["email"], "alice@example.com")
        self.assertEqual(me.json()["csrfToken"], browser.csrf)

        self.add_file("c.bin", 1000)
        job = {"url": self.http.url("c.bin")}
        r = browser.request("POST", "/jobs", job, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertIn("X-CSRF-Token header is missing", r.body.decode())
        r = browser.request("POST", "/jobs", job, csrf=False, headers={"X-CSRF-Token": "x" * 43})
        self.assertEqual(r.status, 403)
        self.assertIn("wrong", r.body.decode())
        self.assertEqual(self.daemon.db_count("jobs"), 0)
        r = browser.request("POST", "/jobs", job)
        self.assertEqual(r.status, 201, r.body)

        self.assertEqual(browser.request("POST", "/auth/logout").status, 200)
        r = browser.request("GET", "/auth/me", csrf=False)
        self.assertEqual(r.status, 401)

    def test_password_reset_by_mailed_token(self):
        self.add_user("bob@example.com")
        old_session = self.login("bob@example.com")
        for email in ("bob@example.com", "nobody@example.com"):
            r = self.daemon.request("POST", "/auth/reset-request", {"email": email}, auth=False)
            self.assertEqual(r.status, 202, "same answer whether the account exists")
        token = self.token_from(self.smtp.wait_for_mail("bob@example.com", "Reset"))
        self.assertEqual([m["To"] for m in self.smtp.messages()], ["bob@example.com"])

        r = self.daemon.request("POST", "/auth/reset-confirm", {"token": token, "newPassword": "x"}, auth=False)
        self.assertEqual(r.status, 400, "the field is 'password'")
        r = self.daemon.request("POST", "/auth/reset-confirm", {"token": token, "password": "new harbour lights"},
                                auth=False)
        self.assertEqual(r.status, 200, r.body)
        r = self.daemon.request("POST", "/auth/reset-confirm", {"token": token, "password": "another long one"},
                                auth=False)
        self.assertEqual(r.status, 400, "a reset token works once")
        self.login("bob@example.com", expect=401)
        self.login("bob@example.com", "new harbour lights")
        self.assertEqual(old_session.request("GET", "/auth/me", csrf=False).status, 401, "a reset ends old sessions")

    def test_change_password_keeps_this_session_and_ends_the_others(self):
        self.add_user("carol@example.com", plan="pro")
        other = self.login("carol@example.com")
        here = self.login("carol@example.com")
        r = here.request("POST", "/auth/password", {"currentPassword": "wrong one!", "password": "river of stones"})
        self.assertEqual(r.status, 400)
        r = here.request("POST", "/auth/password", {"currentPassword": PASSWORD, "password": "river of stones"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(here.request("GET", "/auth/me", csrf=False).status, 200)
        self.assertEqual(other.request("GET", "/auth/me", csrf=False).status, 401)

    def test_api_keys_are_shown_once_work_without_csrf_and_can_be_revoked(self):
        self.add_user("dave@example.com")
        b = self.login("dave@example.com")
        r = b.request("POST", "/auth/api-keys", {"name": "backup script", "expiresInDays": 30})
        self.assertEqual(r.status, 201, r.body)
        key = r.json()["key"]
        prefix = r.json()["prefix"]
        self.assertTrue(key.startswith(prefix + "_"))
        secret = key_secret(key)
        listed = b.request("GET", "/auth/api-keys", csrf=False).json()["apiKeys"]
        self.assertEqual([k["name"] for k in listed], ["backup script"])
        self.assertNotIn(secret, json.dumps(listed))
        self.add_file("k.bin", 10)
        r = self.as_key(key, "POST", "/jobs", {"url": self.http.url("k.bin")})
        self.assertEqual(r.status, 201, "a key needs no CSRF token")
        self.assertIsNotNone(b.request("GET", "/auth/api-keys", csrf=False).json()["apiKeys"][0]["lastUsedAt"])
        self.assertEqual(b.request("DELETE", "/auth/api-keys/" + r.json()["id"]).status, 404, "not a key id")
        self.assertEqual(b.request("DELETE", "/auth/api-keys/" + listed[0]["id"]).status, 200)
        self.assertEqual(self.as_key(key, "GET", "/jobs").status, 401)

    def test_free_plan_keeps_two_sessions_which_can_be_listed_and_revoked(self):
        self.add_user("erin@example.com")
        first, second, third = (self.login("erin@example.com") for _ in range(3))
        self.assertEqual(first.request("GET", "/auth/me", csrf=False).status, 401)
        sessions = third.request("GET", "/auth/sessions", csrf=False).json()["sessions"]
        self.assertEqual(len(sessions), 2)
        self.assertEqual(sum(s["current"] for s in sessions), 1)
        other = [s for s in sessions if not s["current"]][0]
        self.assertEqual(third.request("DELETE", "/auth/sessions/" + other["id"]).status, 200)
        self.assertEqual(second.request("GET", "/auth/me", csrf=False).status, 401)
        self.assertTrue(self.audit(action="session.evicted"))

    def test_another_users_jobs_are_not_found(self):
        self.add_user("owner@example.com")
        self.add_user("other@example.com", role="admin")
        owner, other = self.api_key_for("owner@example.com"), self.api_key_for("other@example.com")
        self.add_file("mine.bin", 2048)
        job = self.as_key(owner, "POST", "/jobs", {"url": self.http.url("mine.bin")}).json()
        self.daemon.api_key = owner
        self.daemon.wait_status(job["id"], "completed", timeout=30)
        base = "/jobs/" + job["id"]
        for method, path, body in [("GET", base, None), ("GET", base + "/files", None),
                                   ("GET", base + "/files/1/content", None), ("GET", base + "/events", None),
                                   ("POST", base + "/pause", {}), ("PATCH", base, {"sequential": True}),
                                   ("DELETE", base, None)]:
            r = self.as_key(other, method, path, body)
            self.assertEqual(r.status, 404, "%s %s: %s" % (method, path, r.body))
            self.assertNotIn(b"mine.bin", r.body)
        self.assertEqual(self.as_key(other, "GET", "/jobs").json()["total"], 0)
        self.assertEqual(self.as_key(owner, "GET", base).status, 200)

    def test_audit_entries_name_actor_action_target_ip_request_and_utc_time(self):
        self.add_user("frank@example.com")
        key = self.api_key_for("frank@example.com")
        self.add_file("a.bin", 10)
        r = self.daemon.request("POST", "/jobs", {"url": self.http.url("a.bin")},
                                headers={"Authorization": "Bearer " + key, "X-Request-Id": "audit-check-1"})
        self.assertEqual(r.status, 201)
        entry = self.audit(action="job.create")[0]
        self.assertEqual(entry["actorRole"], "user")
        self.assertEqual(entry["target"], "job:" + r.json()["id"])
        self.assertEqual(entry["ip"], "127.0.0.1")
        self.assertEqual(entry["requestId"], "audit-check-1")
        self.assertRegex(entry["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        users = self.daemon.socket_request("GET", "/admin/users?q=frank").json()["users"]
        self.assertEqual(entry["actorId"], users[0]["id"])
        # Lists page with next links: accounts oldest first, audit entries newest first.
        made = [self.add_user("pager%d@example.com" % i)["id"] for i in range(3)]
        seen, path = [], "/admin/users?q=pager&limit=2"
        while path:
            page = self.daemon.socket_request("GET", path).json()
            seen += [u["id"] for u in page["users"]]
            path = page["next"]
        self.assertEqual(seen, made)
        first = self.daemon.socket_request("GET", "/admin/audit?action=user.add&limit=2").json()
        rest = self.daemon.socket_request("GET", first["next"]).json()
        ids = [e["id"] for e in first["entries"] + rest["entries"]]
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertEqual(len(set(ids)), len(ids))
        # The log is append-only in the store itself.
        import sqlite3
        con = sqlite3.connect(os.path.join(self.daemon.data_dir, "tseeder.db"))
        try:
            for sql in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
                with self.assertRaises(sqlite3.IntegrityError) as cm:
                    con.execute(sql)
                self.assertIn("append-only", str(cm.exception))
        finally:
            con.close()


class VerificationOffTest(AccountsCase):
    config_lines = ("auth:", "  public_url: http://localhost:8420", "  require_email_verification: false")

    def test_without_verification_an_account_can_log_in_at_once(self):
        r = self.daemon.request("POST", "/auth/register",
                                {"email": "quick@example.com", "password": PASSWORD, "acceptedAup": True}, auth=False)
        self.assertEqual(r.status, 201, r.body)
        self.assertFalse(r.json()["verificationRequired"])
        self.login("quick@example.com")
        self.assertEqual(self.smtp.messages(), [])

    def test_a_cross_site_form_cannot_log_in(self):
        self.add_user("form@example.com")
        # text/plain is what a form can send without a preflight; the body is valid JSON.
        body = b'{"email":"form@example.com","password":"%s"}' % PASSWORD.encode()
        r = self.daemon.request("POST", "/auth/login", raw_body=body, auth=False,
                                headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status, 400)
        self.assertNotIn("Set-Cookie", r.headers)


class LockoutTest(AccountsCase):
    config_lines = ("limits:", "  login_per_minute_ip: 1000", "  login_per_minute_account: 1000")

    def login_from(self, address, email, password):
        u = urllib.parse.urlsplit(self.daemon.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30, source_address=(address, 0))
        try:
            conn.request("POST", "/auth/login", json.dumps({"email": email, "password": password}),
                         {"Content-Type": "application/json"})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def test_ten_failures_lock_that_address_out_of_the_account_for_fifteen_minutes(self):
        self.add_user("gina@example.com")
        answers = {}
        for email in ("gina@example.com", "nobody@example.com"):
            for _ in range(10):
                self.assertEqual(self.login_from("127.0.0.1", email, "wrong password!")[0], 401)
            status, headers, body = self.login_from("127.0.0.1", email, PASSWORD)
            retry = int(headers["Retry-After"])
            self.assertTrue(14 * 60 < retry <= 15 * 60, retry)
            answers[email] = (status, json.loads(body))
        # A real account and an unknown one answer alike.
        self.assertEqual(answers["gina@example.com"], answers["nobody@example.com"])
        self.assertEqual(answers["gina@example.com"][0], 429)
        # The owner, elsewhere, is not locked out.
        self.assertEqual(self.login_from("127.0.0.2", "gina@example.com", PASSWORD)[0], 200)
        locks = self.audit(action="auth.lockout")
        self.assertEqual(len(locks), 2)
        self.assertEqual(sorted(entry["detail"]["email"] for entry in locks), ["gina@example.com", "nobody@example.com"])
        self.assertEqual(len(self.audit(action="auth.login_failed")), 20)


class AccountDelayTest(AccountsCase):
    config_lines = ("limits:", "  login_per_minute_ip: 1000", "  login_per_minute_account: 5")

    def test_an_account_failing_from_many_addresses_is_slowed_not_refused(self):
        self.add_user("hal@example.com")
        began = time.monotonic()
        self.login("hal@example.com")
        fast = time.monotonic() - began
        for i in range(6):
            self.login("hal@example.com", "wrong password %d" % i, expect=401)
        began = time.monotonic()
        self.login("hal@example.com")  # the owner still gets in
        self.assertGreaterEqual(time.monotonic() - began, 2.0)
        self.assertLess(fast, 2.0)


class RateLimitTest(AccountsCase):
    config_lines = ("limits:", "  login_per_minute_ip: 5", "  register_per_hour_ip: 2",
                    "  api_per_minute_account: 20", "  reset_per_hour_account: 1")

    def test_limits_answer_429_with_retry_after(self):
        for i in range(5):
            self.login("h%d@example.com" % i, expect=401)
        r = self.login("h9@example.com", expect=429)
        self.assertGreater(int(r.headers["Retry-After"]), 0)

        for i in range(2):
            r = self.daemon.request("POST", "/auth/register",
                                    {"email": "r%d@example.com" % i, "password": PASSWORD, "acceptedAup": True},
                                    auth=False)
            self.assertEqual(r.status, 202, r.body)
        r = self.daemon.request("POST", "/auth/register",
                                {"email": "r9@example.com", "password": PASSWORD, "acceptedAup": True}, auth=False)
        self.assertEqual(r.status, 429)
        self.assertIn("Retry-After", r.headers)

        # A registration mails its address too, so it drew on r0's allowance of one mail an hour.
        r = self.daemon.request("POST", "/auth/reset-request", {"email": "r0@example.com"}, auth=False)
        self.assertEqual(r.status, 429, "per account")
        self.add_user("s0@example.com")
        self.assertEqual(self.daemon.request("POST", "/auth/reset-request", {"email": "s0@example.com"},
                                             auth=False).status, 202)
        r = self.daemon.request("POST", "/auth/reset-request", {"email": "s0@example.com"}, auth=False)
        self.assertEqual(r.status, 429, "per account")

        # The tests' key is the socket operator's, but over TCP a key is limited like any account's.
        statuses = [self.daemon.request("GET", "/jobs").status for _ in range(25)]
        self.assertEqual(statuses[:20], [200] * 20)
        self.assertEqual(statuses[20:], [429] * 5)


class SessionExpiryTest(AccountsCase):
    config_lines = ("auth:", "  public_url: http://localhost:8420", "  session_idle_timeout_s: 1",
                    "  session_absolute_timeout_s: 3600")

    def test_an_idle_session_expires(self):
        self.add_user("ivy@example.com")
        started = time.monotonic()
        b = self.login("ivy@example.com")
        self.assertEqual(b.request("GET", "/auth/me", csrf=False).status, 200)
        # The expiry is the behaviour under test: wait out the idle limit, then use the session.
        time.sleep(max(0.0, started + 1.5 - time.monotonic()))
        r = b.request("GET", "/auth/me", csrf=False)
        self.assertEqual(r.status, 401)
        self.assertIn("expired", r.body.decode())


class HostAndSocketTest(AccountsCase):
    def test_unknown_host_names_get_421(self):
        r = self.daemon.request("GET", "/health", headers={"Host": "attacker.example"}, auth=False)
        self.assertEqual(r.status, 421)
        r = self.daemon.request("GET", "/health", headers={"Host": "localhost:8420"}, auth=False)
        self.assertEqual(r.status, 200)

    def test_socket_peers_other_than_root_must_authenticate(self):
        me = self.daemon.socket_request("GET", "/auth/me").json()["user"]
        self.assertEqual((me["id"], me["role"], me["via"]), ("local", "superadmin", "unix_socket"))
        for d in (self.tmp, self.daemon.data_dir):
            os.chmod(d, 0o711)  # let the other user reach the socket at all
        os.chmod(self.daemon.socket, 0o666)
        probe = ("import socket,sys\n"
                 "s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])\n"
                 "s.sendall(b'GET /auth/me HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n')\n"
                 "print(s.recv(100).split(b'\\r\\n')[0].decode())\n")
        out = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", PYTHON, "-c", probe,
                              self.daemon.socket], capture_output=True, text=True, timeout=20)
        self.assertEqual(out.stdout.strip(), "HTTP/1.1 401 Unauthorized", out.stderr)


class AdminCliTest(AccountsCase):
    config_lines = ("limits:", "  login_per_minute_ip: 1000", "  login_per_minute_account: 1000")

    def test_bootstrap_users_and_audit_from_the_cli(self):
        sock = ("--socket", self.daemon.socket)
        r = run_cli(*sock, "admin", "bootstrap", "root@example.com")
        self.assertEqual(r.returncode, 0, r.stderr)
        generated = r.stdout.split("password: ")[1].split()[0]
        self.assertEqual(len(generated), 20)
        self.login("root@example.com", generated)
        r = run_cli(*sock, "admin", "bootstrap", "again@example.com")
        self.assertEqual(r.returncode, 6, r.stderr)

        r = run_cli(*sock, "admin", "users", "add", "sam@example.com", "--role", "support", "--plan", "pro",
                    input=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("password:", r.stdout, "a password given on stdin is not printed")
        self.login("sam@example.com")
        r = run_cli(*sock, "--json", "admin", "users", "show", "sam@example.com")
        self.assertEqual(json.loads(r.stdout)["user"]["role"], "support")
        r = run_cli(*sock, "admin", "users", "role", "sam@example.com", "admin")
        self.assertEqual(r.returncode, 2, r.stderr)  # a role change needs a reason and a ticket
        r = run_cli(*sock, "admin", "users", "role", "sam@example.com", "admin", "--reason", "promoted to run support",
                    "--ticket", "HR-3")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run_cli(*sock, "admin", "users", "ls", "--role", "admin")
        self.assertIn("sam@example.com", r.stdout)

        key = self.api_key_for("sam@example.com")
        r = run_cli(*sock, "admin", "users", "suspend", "sam@example.com", "--reason", "short", "--ticket", "T-1")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("reason", r.stderr)
        r = run_cli(*sock, "admin", "users", "suspend", "sam@example.com")
        self.assertEqual(r.returncode, 2, "reason and ticket are required")
        r = run_cli(*sock, "admin", "users", "suspend", "sam@example.com", "--reason", "abuse report #42 confirmed",
                    "--ticket", "T-42")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.as_key(key, "GET", "/jobs").status, 403)
        self.login("sam@example.com", expect=403)
        r = run_cli(*sock, "admin", "users", "unsuspend", "sam@example.com")
        self.assertEqual(r.returncode, 0, r.stderr)
        b = self.login("sam@example.com")
        r = run_cli(*sock, "admin", "users", "force-logout", "sam@example.com", "--reason", "lost laptop reported",
                    "--ticket", "T-43")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ended 1 session", r.stdout)
        self.assertEqual(b.request("GET", "/auth/me", csrf=False).status, 401)

        r = run_cli(*sock, "--json", "admin", "audit", "--action", "user.")
        actions = [e["action"] for e in json.loads(r.stdout)["entries"]]
        for a in ("user.add", "user.role", "user.suspend", "user.unsuspend", "user.force_logout"):
            self.assertIn(a, actions)
        entry = [e for e in json.loads(r.stdout)["entries"] if e["action"] == "user.suspend"][0]
        self.assertEqual(entry["detail"]["ticketId"], "T-42")

    def test_login_saves_a_key_with_mode_0600_and_logout_revokes_it(self):
        self.add_user("tom@example.com")
        home = os.path.join(self.tmp, "cli-home")
        env = {"XDG_CONFIG_HOME": home}
        r = run_cli("--url", self.daemon.url, "login", "tom@example.com", input=PASSWORD + "\n", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        path = os.path.join(home, "tseeder", "credentials.json")
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
        r = run_cli("whoami", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("tom@example.com", r.stdout)
        with open(path) as f:
            key = json.load(f)["apiKey"]
        self.assertEqual(self.as_key(key, "GET", "/auth/me").status, 200)
        r = run_cli("--url", self.daemon.url, "login", "tom@example.com", input="wrong password!\n",
                    env={"XDG_CONFIG_HOME": os.path.join(self.tmp, "other")})
        self.assertEqual(r.returncode, 8)
        r = run_cli("logout", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(path))
        self.assertEqual(self.as_key(key, "GET", "/auth/me").status, 401)
        r = run_cli("--url", self.daemon.url, "ls", env=env)
        self.assertEqual(r.returncode, 8, "without a key the daemon asks to log in")


class SecretsNotLoggedTest(AccountsCase):
    config_lines = ("log:", "  level: debug")

    def test_no_password_token_or_key_reaches_the_log(self):
        secrets = [PASSWORD, "new harbour lights"]
        r = self.daemon.request("POST", "/auth/register",
                                {"email": "zoe@example.com", "password": PASSWORD, "acceptedAup": True}, auth=False)
        self.assertEqual(r.status, 202)
        token = self.token_from(self.smtp.wait_for_mail("zoe@example.com", "Verify"))
        secrets.append(token)
        self.assertEqual(self.daemon.request("GET", "/auth/verify?token=" + token, auth=False).status, 200)
        b = self.login("zoe@example.com")
        secrets += [b.cookie.split("=", 1)[1], b.csrf]
        key = b.request("POST", "/auth/api-keys", {"name": "k"}).json()["key"]
        secrets += [key, key_secret(key)]
        self.as_key(key, "GET", "/jobs")
        self.login("zoe@example.com", "wrong password!", expect=401)
        self.daemon.request("POST", "/auth/reset-request", {"email": "zoe@example.com"}, auth=False)
        reset = self.token_from(self.smtp.wait_for_mail("zoe@example.com", "Reset"))
        secrets.append(reset)
        self.daemon.request("POST", "/auth/reset-confirm", {"token": reset, "password": "new harbour lights"},
                            auth=False)
        secrets.append(self.daemon.api_key)
        self.daemon.stop()
        with open(self.daemon.log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        self.assertIn("mail", log)  # the log is there and has the mail lines
        for s in secrets:
            self.assertNotIn(s, log)


if __name__ == "__main__":
    unittest.main()
