"""Every route, called as anonymous, a user, another user, support, admin and superadmin: the
status each gets is the table below. The table must name every route the daemon has, so a new
route cannot ship without a decision about who may call it; every successful mutation must
leave an audit entry."""
import http.client
import itertools
import os
import subprocess
import unittest
import urllib.parse

from accounts_support import PASSWORD, AccountsCase
from harness import TSEEDERD

WHO = ("anon", "user", "other", "support", "admin", "superadmin")
UNKNOWN = "0000000000000000"
BAD_TOKEN = "x" * 43
WHY = {"reason": "matrix test of a staff action", "ticketId": "T-7"}


def row(anon, user, other, support, admin, superadmin):
    return dict(zip(WHO, (anon, user, other, support, admin, superadmin)))


def everyone(status):
    return row(status, status, status, status, status, status)


def signed_in(status):
    return row(401, status, status, status, status, status)


def owner_only(status):
    return row(401, status, 404, 404, 404, 404)


def staff(min_role, status):
    need = WHO.index(min_role)
    return {w: (401 if w == "anon" else status if WHO.index(w) >= need else 403) for w in WHO}


# (method, route pattern, path maker, body maker, expected, audited when successful)
# Path and body makers get the test case, so each call can have fresh resources.
MATRIX = [
    ("GET", "/health", lambda t: "/health", None, everyone(200), False),
    ("GET", "/plugins", lambda t: "/plugins", None, signed_in(200), False),
    ("GET", "/usage", lambda t: "/usage", None, signed_in(200), False),
    ("POST", "/auth/register", lambda t: "/auth/register",
     lambda t: {"email": t.fresh_email(), "password": PASSWORD, "acceptedAup": True}, everyone(202), True),
    ("POST", "/auth/verify", lambda t: "/auth/verify", lambda t: {"token": BAD_TOKEN}, everyone(400), True),
    ("GET", "/auth/verify", lambda t: "/auth/verify?token=" + BAD_TOKEN, None, everyone(400), True),
    ("POST", "/auth/verify-resend", lambda t: "/auth/verify-resend", lambda t: {"email": t.fresh_email()},
     everyone(202), False),
    ("POST", "/auth/login", lambda t: "/auth/login", lambda t: {"email": t.fresh_email(), "password": "wrong one!"},
     everyone(401), True),
    ("POST", "/auth/logout", lambda t: "/auth/logout", lambda t: {}, signed_in(400), True),
    ("GET", "/auth/me", lambda t: "/auth/me", None, signed_in(200), False),
    ("POST", "/auth/password", lambda t: "/auth/password",
     lambda t: {"currentPassword": "wrong one!", "password": "a brand new passphrase"}, signed_in(400), True),
    ("POST", "/auth/reset-request", lambda t: "/auth/reset-request", lambda t: {"email": t.fresh_email()},
     everyone(202), False),
    ("POST", "/auth/reset-confirm", lambda t: "/auth/reset-confirm",
     lambda t: {"token": BAD_TOKEN, "password": "a brand new passphrase"}, everyone(400), True),
    ("GET", "/auth/sessions", lambda t: "/auth/sessions", None, signed_in(200), False),
    ("DELETE", "/auth/sessions/{id}", lambda t: "/auth/sessions/" + UNKNOWN, None, signed_in(404), True),
    ("POST", "/auth/api-keys", lambda t: "/auth/api-keys", lambda t: {"name": "matrix"}, signed_in(201), True),
    ("GET", "/auth/api-keys", lambda t: "/auth/api-keys", None, signed_in(200), False),
    ("DELETE", "/auth/api-keys/{id}", lambda t: "/auth/api-keys/" + UNKNOWN, None, signed_in(404), True),

    ("POST", "/jobs", lambda t: "/jobs", lambda t: {"url": t.http.url("f.bin")}, signed_in(201), True),
    ("GET", "/jobs", lambda t: "/jobs", None, signed_in(200), False),
    ("GET", "/jobs/{id}", lambda t: "/jobs/" + t.job, None, owner_only(200), False),
    ("PATCH", "/jobs/{id}", lambda t: "/jobs/" + t.fresh_job(), lambda t: {"sequential": True}, owner_only(200),
     True),
    ("DELETE", "/jobs/{id}", lambda t: "/jobs/" + t.fresh_job(), None, owner_only(204), True),
    ("POST", "/jobs/{id}/pause", lambda t: "/jobs/%s/pause" % t.fresh_job(), lambda t: {}, owner_only(409), True),
    ("POST", "/jobs/{id}/resume", lambda t: "/jobs/%s/resume" % t.fresh_job(), lambda t: {}, owner_only(409), True),
    ("POST", "/jobs/{id}/cancel", lambda t: "/jobs/%s/cancel" % t.fresh_job(), lambda t: {}, owner_only(409), True),
    ("POST", "/jobs/{id}/retry", lambda t: "/jobs/%s/retry" % t.fresh_job(), lambda t: {}, owner_only(409), True),
    # A URL job has no trackers or peers: its owner hears why (409), others that it does not exist.
    ("GET", "/jobs/{id}/trackers", lambda t: "/jobs/%s/trackers" % t.job, None, owner_only(409), False),
    ("GET", "/jobs/{id}/peers", lambda t: "/jobs/%s/peers" % t.job, None, owner_only(409), False),
    ("POST", "/jobs/{id}/reannounce", lambda t: "/jobs/%s/reannounce" % t.job, lambda t: {}, owner_only(409), True),
    ("GET", "/jobs/{id}/files", lambda t: "/jobs/%s/files" % t.job, None, owner_only(200), False),
    ("PATCH", "/jobs/{id}/files", lambda t: "/jobs/%s/files" % t.fresh_job(),
     lambda t: {"files": [{"index": 0, "wanted": True}]}, owner_only(200), True),  # stored: stays wanted
    ("GET", "/jobs/{id}/files/{fileId}/content", lambda t: "/jobs/%s/files/%s/content" % (t.job, t.file_id), None,
     owner_only(200), False),
    ("GET", "/jobs/{id}/files/{fileId}/url", lambda t: "/jobs/%s/files/%s/url" % (t.job, t.file_id), None,
     owner_only(200), False),
    ("GET", "/jobs/{id}/zip", lambda t: "/jobs/%s/zip" % t.job, None, owner_only(200), False),
    ("GET", "/dl/{token}", lambda t: t.link(), None, everyone(200), False),
    ("GET", "/jobs/{id}/events", lambda t: "/jobs/%s/events" % t.job, None, owner_only(200), False),

    ("POST", "/admin/bootstrap", lambda t: "/admin/bootstrap", lambda t: {"email": t.fresh_email()},
     staff("superadmin", 409), True),
    ("GET", "/admin/users", lambda t: "/admin/users", None, staff("support", 200), False),
    ("POST", "/admin/users", lambda t: "/admin/users", lambda t: {"email": t.fresh_email()}, staff("admin", 201),
     True),
    ("GET", "/admin/users/{id}", lambda t: "/admin/users/" + t.ids["user"], None, staff("support", 200), False),
    ("DELETE", "/admin/users/{id}", lambda t: "/admin/users/" + t.victim(), lambda t: dict(WHY),
     staff("admin", 204), True),
    ("POST", "/admin/users/{id}/role", lambda t: "/admin/users/%s/role" % t.victim(), lambda t: dict(role="support", **WHY),
     staff("admin", 200), True),
    ("POST", "/admin/users/{id}/suspend", lambda t: "/admin/users/%s/suspend" % t.victim(),
     lambda t: {"reason": "matrix test of suspend", "ticketId": "T-1"}, staff("admin", 200), True),
    ("POST", "/admin/users/{id}/unsuspend", lambda t: "/admin/users/%s/unsuspend" % t.victim(), lambda t: {},
     staff("admin", 200), True),
    ("POST", "/admin/users/{id}/force-logout", lambda t: "/admin/users/%s/force-logout" % t.victim(),
     lambda t: {"reason": "matrix test of logout", "ticketId": "T-2"}, staff("admin", 200), True),
    ("POST", "/admin/users/{id}/plan", lambda t: "/admin/users/%s/plan" % t.victim(), lambda t: dict(plan="pro", **WHY),
     staff("admin", 200), True),
    ("GET", "/admin/plans", lambda t: "/admin/plans", None, staff("support", 200), False),
    ("PATCH", "/admin/plans/{id}", lambda t: "/admin/plans/pro", lambda t: dict(name="Pro", **WHY), staff("admin", 200),
     True),
    ("GET", "/admin/blocklist", lambda t: "/admin/blocklist", None, staff("support", 200), False),
    ("POST", "/admin/blocklist", lambda t: "/admin/blocklist",
     lambda t: {"infohash": "%040x" % next(t.counter), "reason": "matrix test of the blocklist", "ticketId": "T-6"},
     staff("admin", 201), True),
    ("DELETE", "/admin/blocklist/{infohash}", lambda t: "/admin/blocklist/" + "f" * 40, lambda t: dict(WHY),
     staff("admin", 404), True),
    ("GET", "/admin/dlq", lambda t: "/admin/dlq", None, staff("support", 200), False),
    ("POST", "/admin/dlq/{id}/replay", lambda t: "/admin/dlq/%016x/replay" % next(t.counter),
     lambda t: {"reason": "matrix test of a replay", "ticketId": "T-3"}, staff("admin", 404), True),
    ("GET", "/admin/search", lambda t: "/admin/search?q=example", None, staff("support", 200), False),
    ("GET", "/admin/health", lambda t: "/admin/health", None, staff("support", 200), False),
    ("GET", "/metrics", lambda t: "/metrics", None, staff("admin", 200), False),
    ("GET", "/admin/wallets", lambda t: "/admin/wallets", None, staff("support", 200), False),
    ("POST", "/admin/wallets", lambda t: "/admin/wallets",
     lambda t: {"coin": "USDT", "network": "solana", "address": solana_address(next(t.counter))},
     staff("admin", 201), True),
    ("POST", "/admin/wallets/{id}/disable", lambda t: "/admin/wallets/%016x/disable" % next(t.counter),
     lambda t: dict(WHY), staff("admin", 404), True),
    ("GET", "/admin/prices", lambda t: "/admin/prices", None, staff("support", 200), False),
    ("PUT", "/admin/prices/{plan}", lambda t: "/admin/prices/pro", lambda t: {"usd": "4.85"}, staff("admin", 200),
     True),
    ("GET", "/admin/rates", lambda t: "/admin/rates", None, staff("support", 200), False),
    ("PUT", "/admin/rates/{coin}", lambda t: "/admin/rates/BTC", lambda t: {"usd": "97000.5"}, staff("admin", 200),
     True),
    ("GET", "/admin/orders", lambda t: "/admin/orders", None, staff("support", 200), False),
    ("POST", "/admin/orders/{id}/confirm", lambda t: "/admin/orders/%016x/confirm" % next(t.counter),
     lambda t: dict(WHY, txid="ab" * 32), staff("admin", 404), True),
    ("GET", "/admin/payments", lambda t: "/admin/payments?outcome=late", None, staff("support", 200), False),
    # Card payments are not set up here: signed-in callers hear so; webhooks need a signing secret.
    ("POST", "/billing/checkout", lambda t: "/billing/checkout", lambda t: {"plan": "pro"}, signed_in(409), False),
    ("POST", "/billing/portal", lambda t: "/billing/portal", lambda t: {}, signed_in(409), False),
    ("POST", "/billing/webhook", lambda t: "/billing/webhook", lambda t: {"id": "evt_1"}, everyone(401), False),
    ("GET", "/billing/prices", lambda t: "/billing/prices", None, signed_in(200), False),
    ("POST", "/billing/crypto/orders", lambda t: "/billing/crypto/orders", lambda t: {"plan": "pro", "coin": "BTC"},
     signed_in(201), True),
    ("GET", "/billing/crypto/orders", lambda t: "/billing/crypto/orders", None, signed_in(200), False),
    ("GET", "/billing/crypto/orders/{id}", lambda t: "/billing/crypto/orders/" + t.order, None, owner_only(200),
     False),
    ("GET", "/billing/crypto/orders/{id}/qr.svg", lambda t: "/billing/crypto/orders/%s/qr.svg" % t.order, None,
     owner_only(200), False),
    ("GET", "/billing/crypto/orders/{id}/qr.png", lambda t: "/billing/crypto/orders/%s/qr.png" % t.order, None,
     owner_only(200), False),
    # 'user' cancels its spare order; the others do not see it.
    ("POST", "/billing/crypto/orders/{id}/cancel", lambda t: "/billing/crypto/orders/%s/cancel" % t.spare_order,
     lambda t: {}, owner_only(200), True),
    ("GET", "/admin/config-history", lambda t: "/admin/config-history", None, staff("support", 200), False),
    # Version 1 is the listen address the first start recorded: 0 → 1 always exists.
    ("GET", "/admin/config-history/diff", lambda t: "/admin/config-history/diff?from=0&to=1", None,
     staff("support", 200), False),
    ("GET", "/admin/jobs", lambda t: "/admin/jobs", None, staff("support", 200), False),
    ("GET", "/admin/jobs/{id}", lambda t: "/admin/jobs/" + t.job, None, staff("support", 200), False),
    # A completed job cannot be terminated: admins learn so (409), nothing ends.
    ("POST", "/admin/jobs/{id}/terminate", lambda t: "/admin/jobs/%s/terminate" % t.job,
     lambda t: {"reason": "matrix test of a terminate", "ticketId": "T-5"}, staff("admin", 409), True),
    ("GET", "/admin/providers", lambda t: "/admin/providers", None, staff("support", 200), False),
    # `local` is active already: an admin's switch to it is refused as such (409).
    ("POST", "/admin/providers/switch", lambda t: "/admin/providers/switch",
     lambda t: {"provider": "local", "reason": "matrix test of a switch", "ticketId": "T-4"}, staff("admin", 409), True),
    ("GET", "/admin/providers/history", lambda t: "/admin/providers/history", None, staff("support", 200), False),
    # An unknown provider: no login starts, nothing reaches a remote service.
    ("POST", "/admin/providers/login", lambda t: "/admin/providers/login", lambda t: {"provider": "nope"},
     staff("admin", 400), True),
    ("POST", "/admin/providers/login/poll", lambda t: "/admin/providers/login/poll", lambda t: {"provider": "nope"},
     staff("admin", 400), True),
    ("GET", "/admin/fleet/join-tokens", lambda t: "/admin/fleet/join-tokens", None, staff("admin", 200), False),
    # Tokens are rate limited (5 a minute): the matrix sends a note the handler refuses.
    ("POST", "/admin/fleet/join-tokens", lambda t: "/admin/fleet/join-tokens", lambda t: {"note": "x" * 201},
     staff("admin", 400), True),
    # This daemon runs its jobs itself (role both): it lists no agents, refuses agent actions as a
    # conflict, and has no agent wire at all.
    ("GET", "/admin/fleet/agents", lambda t: "/admin/fleet/agents", None, staff("support", 200), False),
    ("POST", "/admin/fleet/agents/{id}/drain", lambda t: "/admin/fleet/agents/%s/drain" % UNKNOWN, lambda t: {},
     staff("admin", 409), True),
    ("POST", "/admin/fleet/agents/{id}/undrain", lambda t: "/admin/fleet/agents/%s/undrain" % UNKNOWN, lambda t: {},
     staff("admin", 409), True),
    ("DELETE", "/admin/fleet/agents/{id}", lambda t: "/admin/fleet/agents/" + UNKNOWN, lambda t: dict(WHY),
     staff("admin", 409), True),
    ("POST", "/fleet/v1/register", lambda t: "/fleet/v1/register", lambda t: {}, everyone(404), False),
    ("POST", "/fleet/v1/heartbeat", lambda t: "/fleet/v1/heartbeat", lambda t: {}, everyone(404), False),
    ("POST", "/fleet/v1/work", lambda t: "/fleet/v1/work", lambda t: {}, everyone(404), False),
    ("POST", "/fleet/v1/events", lambda t: "/fleet/v1/events", lambda t: {}, everyone(404), False),
    # A sweep runs in the background, one at a time: the matrix checks who gets past the guard
    # with a body the handler refuses, so no sweep starts and no call races another.
    ("POST", "/admin/storage/sweep", lambda t: "/admin/storage/sweep", lambda t: {"reason": "short"},
     staff("admin", 400), True),
    ("GET", "/admin/storage/sweeps", lambda t: "/admin/storage/sweeps", None, staff("admin", 200), False),
    ("GET", "/admin/storage/sweeps/{id}", lambda t: "/admin/storage/sweeps/999", None, staff("admin", 404), False),
    ("GET", "/admin/audit", lambda t: "/admin/audit", None, staff("admin", 200), False),
]


# Staff writes that take no reason and ticket, and why: they make, restore or only pause
# something, or sign the daemon in. Every other staff write is `justified` in the route table.
def solana_address(n):
    """A distinct Solana address (Base58 of 32 bytes) for each n."""
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    value, text = int.from_bytes(b"\x01" * 24 + n.to_bytes(8, "big"), "big"), ""
    while value:
        value, digit = divmod(value, 58)
        text = alphabet[digit] + text
    return text


NOT_DESTRUCTIVE = {
    ("POST", "/admin/wallets"): "adds a receiving address (checked against its network)",
    ("PUT", "/admin/prices/{plan}"): "sets what new orders of a plan cost (a reason is taken when given)",
    ("PUT", "/admin/rates/{coin}"): "sets what a coin is worth for new orders (a reason is taken when given)",
    ("POST", "/admin/bootstrap"): "makes the first administrator",
    ("POST", "/admin/users"): "makes an account",
    ("POST", "/admin/users/{id}/unsuspend"): "gives an account back its access (a reason is taken when given)",
    ("POST", "/admin/fleet/join-tokens"): "makes a token for a new agent",
    ("POST", "/admin/fleet/agents/{id}/drain"): "no new work for the agent; its jobs finish there",
    ("POST", "/admin/fleet/agents/{id}/undrain"): "the agent takes work again",
    ("POST", "/admin/providers/login"): "signs the daemon in to a provider's account",
    ("POST", "/admin/providers/login/poll"): "asks whether that sign-in was approved",
}


class AuthorizationMatrixTest(AccountsCase):
    config_lines = ("limits:", "  login_per_minute_ip: 0", "  login_per_minute_account: 0",
                    "  register_per_hour_ip: 0", "  reset_per_hour_ip: 0", "  reset_per_hour_account: 0",
                    "  api_per_minute_ip: 0", "  api_per_minute_account: 0")

    def setUp(self):
        super().setUp()
        self.counter = itertools.count()
        self.add_file("f.bin", 4096)
        self.keys, self.ids = {"anon": None}, {}
        for who in WHO[1:]:
            role = who if who in ("support", "admin", "superadmin") else "user"
            self.ids[who] = self.add_user(who + "@example.com", role=role)["id"]
            self.keys[who] = self.api_key_for(who + "@example.com")
        self.job = self.fresh_job()
        for method, path, body in [("POST", "/admin/wallets", {"coin": "BTC", "network": "bitcoin",
                                                                "address": "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}),
                                   ("PUT", "/admin/prices/pro", {"usd": "4.85"}),
                                   ("PUT", "/admin/rates/BTC", {"usd": "97000"})]:
            self.assertLess(self.daemon.socket_request(method, path, body).status, 300)
        self.order, self.spare_order = (
            self.call("user", "POST", "/billing/crypto/orders", {"plan": "pro", "coin": "BTC"}).json()["order"]["id"]
            for _ in range(2))
        self.file_id = self.call("user", "GET", "/jobs/%s/files" % self.job).json()["files"][0]["id"]

    def fresh_email(self):
        return "fresh%d@example.com" % next(self.counter)

    def fresh_job(self):
        """A completed job of 'user'."""
        r = self.call("user", "POST", "/jobs", {"url": self.http.url("f.bin")})
        job_id = r.json()["id"]
        if r.status == 200:  # the same URL again is the same job: make it distinct
            r = self.call("user", "POST", "/jobs", {"url": self.http.url("f.bin?n=%d" % next(self.counter))})
            job_id = r.json()["id"]
        self.daemon.api_key = self.keys["user"]
        self.daemon.wait_status(job_id, "completed", timeout=30)
        return job_id

    def link(self):
        """The path of a fresh signed link to 'user's file: the link is the credential."""
        url = self.call("user", "GET", "/jobs/%s/files/%s/url" % (self.job, self.file_id)).json()["url"]
        return url[url.index("/dl/"):]

    def victim(self):
        return self.add_user(self.fresh_email())["id"]

    def call(self, who, method, path, body=None):
        headers = {"Authorization": "Bearer " + self.keys[who]} if self.keys[who] else {}
        if path.endswith("/events"):
            return self.status_only(method, path, headers)
        return self.daemon.request(method, path, body, headers=headers, auth=False)

    def status_only(self, method, path, headers):
        """For streams: the status line is the answer; the stream itself is not read."""
        u = urllib.parse.urlsplit(self.daemon.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        try:
            conn.request(method, path, headers=headers)
            resp = conn.getresponse()
            return type("R", (), {"status": resp.status, "body": b"", "json": lambda s: {}})()
        finally:
            conn.close()

    def test_the_table_names_every_route(self):
        out = subprocess.run([TSEEDERD, "--routes"], capture_output=True, text=True, check=True).stdout
        daemon_routes = {tuple(line.split()[:2]) for line in out.splitlines() if line.strip()}
        table_routes = {(m, p) for m, p, *_ in MATRIX}
        self.assertEqual(daemon_routes - table_routes, set(), "routes missing from the matrix")
        self.assertEqual(table_routes - daemon_routes, set(), "matrix rows for routes that do not exist")

    def test_destructive_staff_actions_take_a_reason_and_a_ticket(self):
        out = subprocess.run([TSEEDERD, "--routes"], capture_output=True, text=True, check=True).stdout
        routes = [line.split() for line in out.splitlines() if line.strip()]
        justified = {(r[0], r[1]) for r in routes if r[3:] == ["justified"]}
        writes = {(r[0], r[1]) for r in routes if r[0] != "GET" and r[1].startswith("/admin/")}
        self.assertEqual(writes - justified, set(NOT_DESTRUCTIVE), "a staff write neither justified nor explained")
        rows = {(m, p): (path_of, body_of) for m, p, path_of, body_of, *_ in MATRIX}
        for method, pattern in sorted(justified):
            path_of, body_of = rows[(method, pattern)]
            path = path_of(self)  # may make a target (audited) first
            body = {k: v for k, v in (body_of(self) if body_of else {}).items() if k not in ("reason", "ticketId")}
            before = self.daemon.db_count("audit_log")
            r = self.call("superadmin", method, path, body)
            if pattern.startswith("/admin/fleet/agents/"):  # this daemon has no agents (test_fleet.py checks it)
                self.assertIn(b"it has no agents", r.body)
                continue
            self.assertEqual(r.status, 400, "%s %s: %s" % (method, pattern, r.body))
            self.assertRegex(r.body.decode(), "reason|ticketId", pattern)
            self.assertEqual(self.daemon.db_count("audit_log"), before, pattern)

    def test_every_route_as_every_caller(self):
        failures = []
        for method, pattern, path_of, body_of, expected, audited in MATRIX:
            for who in WHO:
                path = path_of(self)
                body = body_of(self) if body_of else None
                before = self.daemon.db_count("audit_log")
                r = self.call(who, method, path, body)
                if r.status != expected[who]:
                    failures.append("%s %s as %s: expected %d, got %d %s" % (
                        method, pattern, who, expected[who], r.status, r.body[:160]))
                    continue
                if method != "GET" and audited and 200 <= r.status < 300 and \
                        self.daemon.db_count("audit_log") <= before:
                    failures.append("%s %s as %s: succeeded without an audit entry" % (method, pattern, who))
        self.assertEqual(failures, [], "\n" + "\n".join(failures))


if __name__ == "__main__":
    unittest.main()
