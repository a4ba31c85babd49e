"""Card payments against a loopback processor that speaks Stripe's API: checkout sessions for a
plan's price, signed webhook events applied once each (a completed checkout grants the plan, a
renewal extends it, a failed payment is mailed, a cancelled subscription ends it), the customer
portal, and every refusal: bad signatures, stale or replayed events, oversized bodies, bad input."""
import json
import threading
import time
import unittest

from crypto_support import CryptoCase
from stripe_fake import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, event, signature


def epoch(iso):
    return time.mktime(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone


class CardCase(CryptoCase):
    def setUp(self):
        self.stripe = FakeStripe()
        self.addCleanup(self.stripe.stop)
        self.config_lines = ("billing:", "  card:", "    api_url: " + self.stripe.url, "    secret_key: " + SECRET_KEY,
                             "    webhook_secret: " + WEBHOOK_SECRET,
                             "    success_url: https://seedbox.example/paid")
        super().setUp()

    def webhook(self, obj, header=None, raw=None):
        body = raw if raw is not None else json.dumps(obj).encode()
        headers = {"Content-Type": "application/json"}
        if header is not False:
            headers["Stripe-Signature"] = header or signature(body)
        return self.daemon.request("POST", "/billing/webhook", raw_body=body, headers=headers, auth=False)

    def me(self):
        return self.call("GET", "/auth/me").json()["user"]

    def checkout(self):
        r = self.call("POST", "/billing/checkout", {"plan": "pro"})
        self.assertEqual(r.status, 201, r.body)
        return r.json()


class CardBillingTest(CardCase):
    def test_checkout_then_events_change_the_plan_once_each(self):
        session = self.checkout()
        self.assertTrue(session["url"].startswith("https://checkout.stripe.com/c/pay/cs_test_"), session)
        sent = self.stripe.last("/v1/checkout/sessions")
        self.assertEqual((sent["mode"], sent["line_items[0][price_data][unit_amount]"],
                          sent["line_items[0][price_data][currency]"],
                          sent["line_items[0][price_data][recurring][interval]"],
                          sent["line_items[0][price_data][recurring][interval_count]"],
                          sent["client_reference_id"], sent["customer_email"], sent["success_url"]),
                         ("subscription", "485", "usd", "day", "30", self.user["id"], self.email,
                          "https://seedbox.example/paid"))
        self.assertEqual(self.me()["plan"], "free")

        completed = event("checkout.session.completed", {
            "id": session["id"], "object": "checkout.session", "client_reference_id": self.user["id"],
            "customer": "cus_T1", "subscription": "sub_T1", "mode": "subscription", "payment_status": "paid",
            "status": "complete", "metadata": {"plan": "enterprise"}})  # metadata is not what we trust
        # The same event delivered twice at once is applied once.
        results = []
        threads = [threading.Thread(target=lambda: results.append(self.webhook(completed).json()["outcome"]))
                   for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(sorted(results), ["applied", "duplicate"])
        me = self.me()
        self.assertEqual(me["plan"], "pro")
        self.assertAlmostEqual(epoch(me["planPaidUntil"]) - time.time(), 30 * 86400, delta=120)
        self.smtp.wait_for_mail(self.email, "Your plan is now pro")
        # Another event for the same session grants nothing more.
        again = dict(completed, id="evt_other")
        self.assertEqual(self.webhook(again).json()["outcome"], "applied before")
        self.assertEqual(self.me()["planPaidUntil"], me["planPaidUntil"])

        # A renewal (the period end on the item, as newer API versions send it) extends the plan.
        renewed_to = int(time.time()) + 60 * 86400
        r = self.webhook(event("customer.subscription.updated", {
            "id": "sub_T1", "object": "subscription", "customer": "cus_T1", "status": "active",
            "cancel_at_period_end": False,
            "items": {"object": "list", "data": [{"id": "si_1", "object": "subscription_item",
                                                  "current_period_end": renewed_to}]}}))
        self.assertEqual(r.json()["outcome"], "extended")
        self.assertAlmostEqual(epoch(self.me()["planPaidUntil"]), renewed_to, delta=2)

        r = self.webhook(event("invoice.payment_failed", {
            "id": "in_T1", "object": "invoice", "customer": "cus_T1", "subscription": "sub_T1",
            "attempt_count": 1, "next_payment_attempt": int(time.time()) + 86400}))
        self.assertEqual(r.json()["outcome"], "told the owner")
        self.smtp.wait_for_mail(self.email, "Your card payment failed")
        self.assertEqual(self.me()["plan"], "pro")

        r = self.call("POST", "/billing/portal", {})
        self.assertEqual(r.status, 200, r.body)
        self.assertTrue(r.json()["url"].startswith("https://billing.stripe.com/p/session/"))
        self.assertEqual(self.stripe.last("/v1/billing_portal/sessions")["customer"], "cus_T1")

        r = self.webhook(event("customer.subscription.deleted", {
            "id": "sub_T1", "object": "subscription", "customer": "cus_T1", "status": "canceled"}))
        self.assertEqual(r.json()["outcome"], "ended")
        self.assertEqual((self.me()["plan"], self.me()["planPaidUntil"]), ("free", None))
        self.smtp.wait_for_mail(self.email, "Your pro plan has ended")
        self.assertEqual(self.webhook(event("charge.refunded", {"id": "ch_1", "object": "charge"})).json()["outcome"],
                         "ignored")
        self.assertEqual(len(self.audit(action="card.checkout")), 1)

    def test_signatures_and_bodies_refused_with_nothing_changed(self):
        session = self.checkout()
        obj = event("checkout.session.completed", {"id": session["id"], "object": "checkout.session",
                                                   "customer": "cus_T2", "payment_status": "paid"})
        body = json.dumps(obj).encode()
        for header, words in [(signature(body, t=int(time.time()) - 301), "from now"),
                              (signature(body, t=int(time.time()) + 301), "from now"),
                              (signature(body, secret="whsec_wrong"), "matches"),
                              (False, "no Stripe-Signature"),
                              ("t=%d" % time.time(), "no v1"),
                              ("garbage", "timestamp")]:
            r = self.webhook(obj, header=header)
            self.assertEqual(r.status, 401, (header, r.body))
            self.assertIn(words, r.json()["error"]["message"])
        r = self.webhook(None, header=signature(body), raw=body.replace(b"paid", b"PAID"))
        self.assertEqual(r.status, 401, r.body)
        big = b'{"id": "evt_big", "pad": "' + b"x" * (1024 * 1024) + b'"}'
        self.assertEqual(self.webhook(None, raw=big).status, 413)
        for raw in (b"not json", b"[]", b'{"id": "evt_1"}', b'{"id": "evt_1", "type": "x", "data": {}}'):
            r = self.webhook(None, raw=raw)
            self.assertEqual(r.status, 400, (raw, r.body))
        self.assertEqual(self.daemon.db_count("webhook_events"), 0)
        self.assertEqual(self.me()["plan"], "free")
        # The genuine one, signed a few minutes ago (inside the tolerance), is taken.
        self.assertEqual(self.webhook(obj, header=signature(body, t=int(time.time()) - 240)).json()["outcome"],
                         "applied")
        self.assertEqual(self.me()["plan"], "pro")

    def test_checkout_input_and_processor_errors(self):
        for body, status, words in [({"plan": "gold"}, 400, "does not exist"),
                                    ({"plan": "business"}, 400, "no price"),
                                    ({"plan": "pro", "periodDays": 2000}, 400, "1 to 1095 days"),
                                    ({"plan": "pro", "coupon": "x"}, 400, "coupon"),
                                    ({}, 400, "plan")]:
            r = self.call("POST", "/billing/checkout", body)
            self.assertEqual(r.status, status, (body, r.body))
            self.assertIn(words, json.dumps(r.json()))
        self.stripe.fail = (402, "Your card was declined.")
        r = self.call("POST", "/billing/checkout", {"plan": "pro"})
        self.assertEqual(r.status, 503, r.body)
        self.assertIn("Your card was declined.", r.json()["error"]["message"])
        self.assertNotIn(SECRET_KEY, r.body.decode() + self.daemon.read_log())
        self.assertEqual(self.daemon.db_count("card_checkouts"), 0)
        self.assertEqual(self.call("POST", "/billing/portal", {}).status, 409)
        r = self.user_cli("wallet", "checkout", "pro")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("pay at: https://checkout.stripe.com/c/pay/cs_test_", r.stdout)


class CardOffTest(CryptoCase):
    def test_card_payments_off_without_a_key(self):
        r = self.call("POST", "/billing/checkout", {"plan": "pro"})
        self.assertEqual(r.status, 409, r.body)
        self.assertIn("not set up", r.json()["error"]["message"])
        self.assertEqual(self.call("POST", "/billing/portal", {}).status, 409)
        body = json.dumps(event("checkout.session.completed", {"id": "cs_1"})).encode()
        r = self.daemon.request("POST", "/billing/webhook", raw_body=body, auth=False,
                                headers={"Stripe-Signature": signature(body), "Content-Type": "application/json"})
        self.assertEqual(r.status, 401, r.body)
        self.assertIn("no signing secret", r.json()["error"]["message"])


if __name__ == "__main__":
    unittest.main()
