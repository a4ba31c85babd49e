"""The chain-esplora watcher against a loopback Esplora API: a payment of an order's amount is
seen, gathers confirmations and, at the required count, confirms the order and moves the plan
at once, once; late, short and unmatched payments are kept and flagged for staff, never applied;
a transaction seen for one order pays no other; malformed answers change nothing."""
import unittest

from crypto_support import BTC, WHY, CryptoCase
from esplora_fake import FakeEsplora
from harness import wait_for


class PaymentWatchCase(CryptoCase):
    def setUp(self):
        self.esplora = FakeEsplora()
        self.addCleanup(self.esplora.stop)
        self.config_lines = ("billing:", "  watch_interval_s: 1", "  confirmations:", "    btc: 3",
                             "chain_esplora:", "  bitcoin_url: " + self.esplora.url, "  timeout_s: 5")
        super().setUp()

    def order(self, order_id, key=None):
        return self.call("GET", "/billing/crypto/orders/" + order_id, key=key).json()["order"]

    def rounds(self, n=2):
        """Waits until the watcher has asked about addresses `n` more times."""
        start = self.esplora.calls()
        wait_for(lambda: self.esplora.calls() >= start + n, 20, "%d watcher rounds" % n)

    def payments(self):
        return {p["txid"]: p for p in self.staff("GET", "/admin/payments").json()["payments"]}


class PaymentWatchTest(PaymentWatchCase):
    def test_pending_then_confirmations_then_plan(self):
        self.assertIn(("chain-esplora", "chain-watcher"),
                      [(p["name"], p["kind"]) for p in self.call("GET", "/plugins").json()["plugins"]])
        self.assertEqual(self.staff("PATCH", "/admin/plans/free", dict(WHY, maxActiveJobs=0)).status, 200)
        self.add_file("a.bin", 1000)
        order = self.buy()
        txid = self.esplora.pay(BTC, 5000)
        wait_for(lambda: self.order(order["id"])["txid"] == txid, 20, "the payment to be seen")
        shown = self.order(order["id"])
        self.assertEqual((shown["status"], shown["confirmations"]), ("pending", 0))
        # Seen in time, it no longer expires; the user cannot cancel it away.
        self.assertEqual(self.call("POST", "/billing/crypto/orders/%s/cancel" % order["id"], {}).status, 409)

        self.esplora.mine(1)
        wait_for(lambda: self.order(order["id"])["confirmations"] == 1, 20, "one confirmation")
        self.assertEqual(self.order(order["id"])["status"], "pending")
        self.assertEqual(self.call("POST", "/jobs", {"url": self.http.url("a.bin")}).status, 429)

        self.esplora.mine(2)  # three confirmations: the required count
        wait_for(lambda: self.order(order["id"])["status"] == "confirmed", 20, "the order to be confirmed")
        self.assertEqual(self.call("GET", "/auth/me").json()["user"]["plan"], "pro")
        self.assertEqual(self.call("POST", "/jobs", {"url": self.http.url("a.bin")}).status, 201)
        self.smtp.wait_for_mail(self.email, "Your plan is now pro")
        self.assertEqual(self.payments()[txid]["outcome"], "applied")

        # The same answers again change nothing, even for a new order that asks for the same
        # amount (the first one's is free again): that transaction paid the first.
        until = self.call("GET", "/auth/me").json()["user"]["planPaidUntil"]
        again = self.buy()
        self.assertEqual(again["amountUnits"], "5000")
        audit_size = len(self.audit())
        self.rounds(3)
        self.assertEqual(len(self.audit()), audit_size)
        self.assertEqual((self.order(again["id"])["status"], self.order(again["id"])["txid"]), ("pending", None))
        self.assertEqual(self.call("GET", "/auth/me").json()["user"]["planPaidUntil"], until)
        confirms = self.audit(action="order.confirm")
        self.assertEqual(len(confirms), 1)
        self.assertEqual((confirms[0]["actorId"], confirms[0]["detail"]["watcher"]), ("system", "chain-esplora"))
        # Staff confirming it again with that transaction: no change.
        r = self.confirm(order["id"], txid)
        self.assertEqual((r.status, r.json()["changed"]), (200, False))

    def test_late_short_unmatched_and_a_transaction_for_one_order(self):
        other_key = self.api_key_for(self.add_user("other@example.com")["email"])
        late = self.buy()                    # 5000 sat, cancelled before it is paid
        second = self.buy(key=other_key)     # 5001 sat
        self.assertEqual(self.call("POST", "/billing/crypto/orders/%s/cancel" % late["id"], {}).status, 200)
        late_tx = self.esplora.pay(BTC, 5000)
        short_tx = self.esplora.pay(BTC, 4000)
        odd_tx = self.esplora.pay(BTC, 9000)
        self.esplora.mine(3)
        wait_for(lambda: {late_tx, short_tx, odd_tx} <= set(self.payments()), 20, "the payments to be recorded")
        p = self.payments()
        self.assertEqual((p[late_tx]["outcome"], p[late_tx]["order"], p[late_tx]["flagged"]),
                         ("late", late["id"], True))
        self.assertEqual((p[short_tx]["outcome"], p[short_tx]["order"]), ("short", second["id"]))
        self.assertEqual((p[odd_tx]["outcome"], p[odd_tx]["order"]), ("unmatched", None))
        self.assertEqual(len(self.audit(action="payment.flagged")), 3)
        self.assertEqual(self.call("GET", "/auth/me").json()["user"]["plan"], "free")
        self.assertEqual(self.order(second["id"], key=other_key)["status"], "pending")
        r = self.cli("admin", "wallet", "payments", "--flagged")
        self.assertEqual(r.returncode, 0, r.stderr)
        for tx in (late_tx, short_tx, odd_tx):
            self.assertIn(tx, r.stdout)

        # The second order's payment, seen for it, pays no other order.
        paid_tx = self.esplora.pay(BTC, 5001)
        wait_for(lambda: self.order(second["id"], key=other_key)["txid"] == paid_tx, 20, "the payment to be seen")
        third = self.buy()
        r = self.confirm(third["id"], paid_tx)
        self.assertEqual(r.status, 409, r.body)
        self.assertIn("paid order " + second["id"], r.json()["error"]["message"])
        self.esplora.mine(3)
        wait_for(lambda: self.order(second["id"], key=other_key)["status"] == "confirmed", 20, "the confirmation")
        self.assertEqual(self.call("GET", "/auth/me", key=other_key).json()["user"]["plan"], "pro")
        self.assertEqual(self.order(third["id"])["status"], "pending")
        # Flagged payments stay flagged after more rounds.
        self.rounds(2)
        self.assertEqual([p[t]["outcome"] for t in (late_tx, short_tx, odd_tx) for p in [self.payments()]],
                         ["late", "short", "unmatched"])

    def test_malformed_answers_change_nothing(self):
        order = self.buy()
        bad_answers = ["not json", "{}", '[{"txid": "%s"}]' % ("ab" * 32),
                       '[{"txid": "zz", "vout": [{"scriptpubkey_address": "%s", "value": 5000}], '
                       '"status": {"confirmed": false}}]' % BTC,
                       '[{"txid": "%s", "vout": [{"scriptpubkey_address": "%s", "value": "5000"}], '
                       '"status": {"confirmed": false}}]' % ("ab" * 32, BTC)]
        for body in bad_answers:
            self.esplora.broken = body
            self.rounds(2)
        self.assertEqual(self.payments(), {})
        shown = self.order(order["id"])
        self.assertEqual((shown["status"], shown["txid"]), ("pending", None))
        log = self.daemon.read_log()
        self.assertIn("chain watcher chain-esplora", log)
        self.assertIn("not bitcoin's", log)
        self.esplora.broken = None
        txid = self.esplora.pay(BTC, 5000)
        wait_for(lambda: self.order(order["id"])["txid"] == txid, 20, "the payment once answers are sound")


if __name__ == "__main__":
    unittest.main()
