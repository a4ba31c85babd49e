"""Users buy a plan's period in a coin: an order with an amount no other pending order to the
address asks for, its payment link as a QR code (PNG, SVG and the CLI's terminal blocks, each read
back with zbarimg), staff confirmation that moves the plan at once, once, and orders that expire,
are cancelled or lapse. Bad input changes nothing."""
import contextlib
import os
import sqlite3
import threading
import time
import unittest
import xml.etree.ElementTree as ET

from crypto_support import BTC, WHY, CryptoCase, terminal_qr_png, zbar
from harness import wait_for

TX1 = "a1" * 32
TX2 = "b2" * 32


class CryptoOrdersTest(CryptoCase):
    def test_buy_pay_by_qr_and_confirm(self):
        # 4.85 USD at 97,000 USD per BTC is 0.00005 BTC (5,000 sat); a second pending order to the
        # same address asks for one satoshi more, so each payment names its order.
        r = self.user_cli("wallet", "buy", "pro", "--coin", "btc")
        self.assertEqual(r.returncode, 0, r.stderr)
        order = self.call("GET", "/billing/crypto/orders").json()["orders"][0]
        self.assertEqual((order["amount"], order["amountUnits"], order["usd"], order["address"], order["status"]),
                         ("0.00005", "5000", "4.85", BTC, "pending"))
        self.assertEqual(order["paymentUri"], "bitcoin:%s?amount=0.00005" % BTC)
        self.assertIn("pay      0.00005 BTC on bitcoin", r.stdout)
        self.assertEqual(zbar(terminal_qr_png(r.stdout, self.tmp + "/terminal.png")), order["paymentUri"])

        png = self.call("GET", order["qr"]["png"])
        self.assertEqual((png.status, png.headers["Content-Type"]), (200, "image/png"))
        self.assertEqual(zbar(self.image("order.png", png.body)), order["paymentUri"])
        svg = self.call("GET", order["qr"]["svg"])
        self.assertEqual((svg.status, svg.headers["Content-Type"]), (200, "image/svg+xml"))
        self.assertEqual(ET.fromstring(svg.body).tag, "{http://www.w3.org/2000/svg}svg")
        r = self.user_cli("wallet", "show", order["id"])
        self.assertEqual(zbar(terminal_qr_png(r.stdout, self.tmp + "/show.png")), order["paymentUri"])

        other = self.add_user("other@example.com")
        other_key = self.api_key_for("other@example.com")
        second = self.buy(key=other_key)
        self.assertEqual((second["amountUnits"], second["amount"]), ("5001", "0.00005001"))
        # Each sees only their own orders; staff see all.
        self.assertEqual([o["id"] for o in self.call("GET", "/billing/crypto/orders").json()["orders"]],
                         [order["id"]])
        for path in ("/billing/crypto/orders/" + second["id"], second["qr"]["png"]):
            self.assertEqual(self.call("GET", path).status, 404)
        self.assertEqual(self.call("POST", "/billing/crypto/orders/%s/cancel" % second["id"], {}).status, 404)
        r = self.run_staff_cli("admin", "wallet", "orders", "--status", "pending")
        self.assertIn(order["id"], r.stdout)
        self.assertIn(second["id"], r.stdout)

        # On the free plan with no room for a job; the confirmed order makes it pro at once.
        self.assertEqual(self.staff("PATCH", "/admin/plans/free", dict(WHY, maxActiveJobs=0)).status, 200)
        self.add_file("a.bin", 1000)
        self.assertEqual(self.call("POST", "/jobs", {"url": self.http.url("a.bin")}).status, 429)
        before = time.time()
        r = self.run_staff_cli("admin", "wallet", "confirm", order["id"], "--txid", TX1.upper(),
                               "--reason", WHY["reason"], "--ticket", WHY["ticketId"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("confirmed %s" % order["id"], r.stdout)
        me = self.call("GET", "/auth/me").json()["user"]
        self.assertEqual(me["plan"], "pro")
        paid_until = time.mktime(time.strptime(me["planPaidUntil"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        self.assertAlmostEqual(paid_until - before, 30 * 86400, delta=60)
        self.assertEqual(self.call("POST", "/jobs", {"url": self.http.url("a.bin")}).status, 201)
        mail = self.smtp.wait_for_mail(self.email, "Your plan is now pro")
        self.assertIn("until", mail.get_payload(decode=True).decode())
        shown = self.call("GET", "/billing/crypto/orders/" + order["id"]).json()["order"]
        self.assertEqual((shown["status"], shown["txid"]), ("confirmed", TX1))
        self.assertNotIn("paymentUri", shown)
        self.assertEqual(self.call("GET", order["qr"]["png"]).status, 409)

        # Confirming again with that transaction changes nothing; another is refused; the
        # transaction cannot pay the second order.
        r = self.confirm(order["id"], TX1)
        self.assertEqual((r.status, r.json()["changed"]), (200, False))
        self.assertEqual(self.confirm(order["id"], TX2).status, 409)
        r = self.confirm(second["id"], TX1)
        self.assertEqual(r.status, 409)
        self.assertIn("paid order " + order["id"], r.json()["error"]["message"])
        self.assertEqual(self.call("GET", "/auth/me").json()["user"]["planPaidUntil"], me["planPaidUntil"])
        confirms = [e for e in self.audit(action="order.confirm")]
        self.assertEqual([e["target"] for e in confirms], ["order:" + order["id"]])
        self.assertEqual(confirms[0]["detail"]["ticketId"], "PAY-7")
        self.assertEqual(len(self.audit(action="order.create")), 2)

    def test_two_confirmations_at_once_upgrade_once(self):
        order = self.buy()
        results = []

        def confirm():
            r = self.confirm(order["id"], TX1)
            results.append((r.status, r.json().get("changed")))

        threads = [threading.Thread(target=confirm) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        self.assertEqual(sorted(results), [(200, False)] * 7 + [(200, True)])
        self.assertEqual(len(self.audit(action="order.confirm")), 1)
        plan_changes = [e for e in self.audit(action="user.plan") if e["target"] == "user:" + self.user["id"]]
        self.assertEqual(len(plan_changes), 1)
        me = self.call("GET", "/auth/me").json()["user"]
        paid_until = time.mktime(time.strptime(me["planPaidUntil"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        self.assertLess(paid_until - time.time(), 31 * 86400)  # one period, not eight

    def test_a_second_period_follows_the_first(self):
        first = self.buy()
        self.assertEqual(self.confirm(first["id"], TX1).status, 200)
        until = self.call("GET", "/auth/me").json()["user"]["planPaidUntil"]
        second = self.buy()
        self.assertEqual(self.confirm(second["id"], TX2).status, 200)
        later = self.call("GET", "/auth/me").json()["user"]["planPaidUntil"]
        t = lambda s: time.mktime(time.strptime(s[:19], "%Y-%m-%dT%H:%M:%S"))
        self.assertAlmostEqual(t(later) - t(until), 30 * 86400, delta=2)

    def test_bad_input_changes_nothing(self):
        self.staff("POST", "/admin/wallets", {"coin": "USDT", "network": "tron",
                                              "address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"})
        self.staff("POST", "/admin/wallets", {"coin": "USDT", "network": "polygon",
                                              "address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"})
        self.staff("POST", "/admin/wallets", {"coin": "LTC", "network": "litecoin",
                                              "address": "ltc1qg42tkwuuxefutzxezdkdel39gfstuap288mfea"})
        for body, status, words in [
                ({"plan": "gold", "coin": "BTC"}, 400, "plan 'gold' does not exist"),
                ({"plan": "pro", "coin": "DOGE"}, 400, "coin 'DOGE' is not taken"),
                ({"plan": "business", "coin": "BTC"}, 400, "has no price"),
                ({"plan": "pro", "coin": "BTC", "periodDays": 365}, 400, "has no price for 365 days"),
                ({"plan": "pro", "coin": "BTC", "periodDays": 0}, 400, "1 to 3660 days"),
                ({"plan": "pro", "coin": "BTC", "periodDays": "30"}, 400, "whole number"),
                ({"plan": "pro", "coin": "BTC", "network": "tron"}, 400, "BTC on tron is not taken"),
                ({"plan": "pro", "coin": "USDT"}, 400, "several networks"),
                ({"plan": "pro", "coin": "USDT", "network": "solana"}, 409, "not taken for payments"),
                ({"plan": "pro", "coin": "LTC"}, 409, "no rate is set for LTC"),
                ({"plan": "pro", "coin": "BTC", "amount": "0.0001"}, 400, "amount"),
                ({"plan": "pro"}, 400, "coin")]:
            r = self.call("POST", "/billing/crypto/orders", body)
            self.assertEqual(r.status, status, (body, r.body))
            self.assertIn(words, r.json()["error"]["message"] + r.json()["error"].get("field", ""), body)
        for raw in (b"not json", b"[]", b"{" * 100):
            r = self.daemon.request("POST", "/billing/crypto/orders", raw_body=raw,
                                    headers={"Authorization": "Bearer " + self.key,
                                             "Content-Type": "application/json"})
            self.assertEqual(r.status, 400, r.body)
        self.assertEqual(self.daemon.db_count("crypto_orders"), 0)

        # A disabled wallet takes no new order; five pending orders are the most.
        wallet = [w for w in self.staff("GET", "/admin/wallets").json()["wallets"] if w["coin"] == "BTC"][0]
        orders = [self.buy() for _ in range(5)]
        self.assertEqual(len({o["amountUnits"] for o in orders}), 5)
        r = self.buy(status=409)
        self.assertIn("5 pending orders", r["error"]["message"])
        self.call("POST", "/billing/crypto/orders/%s/cancel" % orders[0]["id"], {})
        self.assertEqual(self.staff("POST", "/admin/wallets/%s/disable" % wallet["id"],
                                    {"reason": "address rotated for the tests", "ticketId": "T-2"}).status, 200)
        self.buy(status=409)
        self.assertEqual(self.daemon.db_count("crypto_orders"), 5)

        # Staff confirmations: bad ids, unknown orders, no justification.
        for order_id, txid, why, status in [("nope", TX1, WHY, 404), (orders[1]["id"], "xyz", WHY, 400),
                                            (orders[1]["id"], "0x" + TX1, WHY, 400),
                                            (orders[1]["id"], TX1, {"reason": "", "ticketId": ""}, 400),
                                            (orders[0]["id"], TX1, WHY, 409)]:
            r = self.confirm(order_id, txid, why)
            self.assertEqual(r.status, status, (order_id, txid, r.body))
        self.assertEqual(self.call("GET", "/auth/me").json()["user"]["plan"], "free")
        for q in ("status=paid", "limit=0", "after=x"):
            self.assertEqual(self.call("GET", "/billing/crypto/orders?" + q).status, 400, q)

    def run_staff_cli(self, *args):
        r = self.cli(*args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r


class OrderLifecycleTest(CryptoCase):
    config_lines = ("billing:", "  order_expiry_s: 2", "  sweep_interval_s: 1")

    def test_cancel_expire_and_lapse(self):
        order = self.buy()
        r = self.user_cli("wallet", "cancel", order["id"])
        self.assertEqual(r.returncode, 0, r.stderr)
        shown = self.call("GET", "/billing/crypto/orders/" + order["id"]).json()["order"]
        self.assertEqual(shown["status"], "cancelled")
        self.assertEqual(self.call("POST", "/billing/crypto/orders/%s/cancel" % order["id"], {}).status, 409)
        self.assertEqual(self.call("GET", order["qr"]["svg"]).status, 409)
        # A cancelled order's amount is free again.
        again = self.buy()
        self.assertEqual(again["amountUnits"], order["amountUnits"])

        # Unpaid past its time, it expires and cannot be confirmed.
        wait_for(lambda: self.call("GET", "/billing/crypto/orders/" + again["id"]).json()["order"]["status"] ==
                 "expired", 10, "the order to expire")
        r = self.confirm(again["id"], "c3" * 32)
        self.assertEqual(r.status, 409)
        self.assertIn("expired", r.json()["error"]["message"])
        r = self.user_cli("wallet", "orders", "--status", "expired")
        self.assertRegex(r.stdout, again["id"] + r"\s+pro\s+0.00005 BTC\s+expired")
        self.assertEqual(len(self.audit(action="order.expire")), 1)

        # A bought period that ends takes the account back to free, with a mail.
        paid = self.buy()
        self.assertEqual(self.confirm(paid["id"], "d4" * 32).status, 200)
        self.assertEqual(self.call("GET", "/auth/me").json()["user"]["plan"], "pro")
        with self.daemon_db() as con:
            con.execute("UPDATE users SET plan_paid_until = ?1 WHERE id = ?2",
                        (int(time.time() * 1000) - 1, self.user["id"]))
        wait_for(lambda: self.call("GET", "/auth/me").json()["user"]["plan"] == "free", 10, "the plan to lapse")
        self.assertIsNone(self.call("GET", "/auth/me").json()["user"]["planPaidUntil"])
        self.smtp.wait_for_mail(self.email, "Your pro plan has ended")
        lapses = [e for e in self.audit(action="user.plan") if e["detail"].get("why") == "period ended"]
        self.assertEqual(len(lapses), 1)

    @contextlib.contextmanager
    def daemon_db(self):
        con = sqlite3.connect(os.path.join(self.daemon.data_dir, "tseeder.db"), timeout=5)
        try:
            with con:
                yield con
        finally:
            con.close()


if __name__ == "__main__":
    unittest.main()
