"""Fixtures for account tests: a daemon with mail through a real SMTP sink, and helpers that
register, log in and act as browsers (cookie + CSRF) or scripts (API key)."""
import os
import re
import urllib.parse

from harness import Daemon, DaemonTest, SmtpSink, wait_for

PASSWORD = "violet staircase humming"


class Browser:
    """A logged-in session: the cookie the daemon set and the CSRF token it answered."""

    def __init__(self, daemon, cookie, csrf, body):
        self.daemon = daemon
        self.cookie = cookie
        self.csrf = csrf
        self.user = body["user"]

    def request(self, method, path, body=None, csrf=True, headers=None):
        h = {"Cookie": self.cookie}
        if csrf:
            h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        return self.daemon.request(method, path, body, headers=h)


class AccountsCase(DaemonTest):
    """A daemon that mails through the sink and answers as http://localhost:PORT."""

    config_lines = ()
    public_url = "http://localhost:8420"

    def setUp(self):
        super().setUp()
        self.smtp = SmtpSink(self.tmp)
        self.addCleanup(self.smtp.stop)
        cfg = os.path.join(self.tmp, "tseederd.yaml")
        with open(cfg, "w") as f:
            f.write("smtp:\n  url: %s\n  from: tseeder <noreply@tseeder.test>\n" % self.smtp.url())
            f.write("auth:\n  public_url: %s\n" % self.public_url)
            for line in self.config_lines:
                f.write(line + "\n")
        self.daemon = Daemon(os.path.join(self.tmp, "var"), config=cfg)
        self.daemon.listen = getattr(self, "listen", self.daemon.listen)  # a test that needs its address
        self.daemon.start()

    # ---- accounts ----
    def add_user(self, email, role="user", plan="free", password=PASSWORD):
        """An account made by the operator over the socket (verified at once)."""
        r = self.daemon.socket_request("POST", "/admin/users",
                                       {"email": email, "role": role, "plan": plan, "password": password})
        self.assertEqual(r.status, 201, r.body)
        return r.json()["user"]

    def login(self, email, password=PASSWORD, expect=200):
        r = self.daemon.request("POST", "/auth/login", {"email": email, "password": password}, auth=False)
        self.assertEqual(r.status, expect, r.body)
        if expect != 200:
            return r
        cookie = r.headers["Set-Cookie"].split(";")[0]
        return Browser(self.daemon, cookie, r.json()["csrfToken"], r.json())

    def api_key_for(self, email, password=PASSWORD):
        b = self.login(email, password)
        r = b.request("POST", "/auth/api-keys", {"name": "tests"})
        self.assertEqual(r.status, 201, r.body)
        return r.json()["key"]

    def as_key(self, key, method, path, body=None):
        return self.daemon.request(method, path, body, headers={"Authorization": "Bearer " + key})

    def token_from(self, mail):
        text = mail.get_payload(decode=True).decode()
        m = re.search(r"token=([A-Za-z0-9_-]{43})", text) or re.search(r"^\s+([A-Za-z0-9_-]{43})\s*$", text, re.M)
        self.assertIsNotNone(m, text)
        return m.group(1)

    def audit(self, **filters):
        q = urllib.parse.urlencode(dict(filters, limit=1000))
        r = self.daemon.socket_request("GET", "/admin/audit?" + q)
        self.assertEqual(r.status, 200, r.body)
        return r.json()["entries"]
