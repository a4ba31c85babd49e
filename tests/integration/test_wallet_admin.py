"""Staff set receiving wallets (each address checked against its network) and plan prices: every
change audited and in the config history; bad input refused with nothing saved."""
import json
import unittest

from harness import DaemonTest

BTC = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
WHY = {"reason": "address leaked, rotating it", "ticketId": "SEC-3"}


class WalletAdminTest(DaemonTest):
    def setUp(self):
        super().setUp()
        self.daemon.start()

    def call(self, method, path, body=None):
        return self.daemon.socket_request(method, path, body)

    def test_wallets(self):
        r = self.cli("admin", "wallet", "add", "--coin", "btc", "--network", "bitcoin", "--address", BTC)
        self.assertEqual(r.returncode, 0, r.stderr)
        wallet = self.call("GET", "/admin/wallets").json()["wallets"][0]
        self.assertEqual((wallet["coin"], wallet["network"], wallet["address"], wallet["active"]),
                         ("BTC", "bitcoin", BTC, True))
        r = self.call("POST", "/admin/wallets", {"coin": "BTC", "network": "bitcoin", "address": BTC})
        self.assertEqual(r.status, 409, r.body)
        for body, field in [({"coin": "BTC", "network": "bitcoin", "address": BTC[:-1] + "5"}, "bad checksum"),
                            ({"coin": "BTC", "network": "bitcoin",
                              "address": "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"}, "testnet"),
                            ({"coin": "BTC", "network": "tron", "address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"},
                             "is not taken"),
                            ({"coin": "USDT", "network": "polygon",
                              "address": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}, "EIP-55"),
                            ({"coin": "BTC", "network": "bitcoin"}, "address")]:
            r = self.call("POST", "/admin/wallets", body)
            self.assertEqual(r.status, 400, (body, r.body))
            self.assertIn(field, r.body.decode())
        self.assertEqual(len(self.call("GET", "/admin/wallets").json()["wallets"]), 1)
        r = self.call("POST", "/admin/wallets", {"coin": "USDT", "network": "tron",
                                                 "address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"})
        self.assertEqual(r.status, 201, r.body)

        r = self.call("POST", "/admin/wallets/%s/disable" % wallet["id"], {"reason": "short", "ticketId": "T"})
        self.assertEqual(r.status, 400, r.body)
        r = self.cli("admin", "wallet", "disable", wallet["id"], "--reason", WHY["reason"], "--ticket", "SEC-3")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.call("POST", "/admin/wallets/%s/disable" % wallet["id"], WHY).status, 409)
        self.assertEqual(self.call("POST", "/admin/wallets/nope/disable", WHY).status, 404)
        r = self.cli("admin", "wallet", "ls")
        self.assertRegex(r.stdout, wallet["id"] + r"\s+BTC\s+bitcoin\s+" + BTC + r"\s+disabled")
        actions = [e["action"] for e in self.call("GET", "/admin/audit?limit=50").json()["entries"]]
        self.assertEqual([a for a in actions if a.startswith("wallet.")], ["wallet.disable", "wallet.add", "wallet.add"])
        history = self.call("GET", "/admin/config-history?key=wallet." + wallet["id"]).json()["changes"]
        self.assertEqual([(c["from"], c["to"]) for c in history],
                         [("active: BTC on bitcoin to " + BTC, "disabled: BTC on bitcoin to " + BTC),
                          ("(none)", "active: BTC on bitcoin to " + BTC)])
        self.assertEqual(history[0]["ticketId"], "SEC-3")

    def test_prices(self):
        r = self.cli("admin", "prices", "set", "pro", "--usd", "4.85")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "pro: 4.85 USD per 30 days\n")
        r = self.call("PUT", "/admin/prices/pro", {"usd": "5", "periodDays": 30, "reason": "new price list 2027",
                                                   "ticketId": "BIZ-1"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json()["price"]["usdCents"], 500)
        self.cli("admin", "prices", "set", "business", "--usd", "88.50", "--days", "365")
        prices = self.call("GET", "/admin/prices").json()["prices"]
        self.assertEqual([(p["plan"], p["periodDays"], p["usd"]) for p in prices],
                         [("business", 365, "88.50"), ("pro", 30, "5.00")])
        history = self.call("GET", "/admin/config-history?key=price.pro").json()["changes"]
        self.assertEqual([(c["key"], c["from"], c["to"]) for c in history],
                         [("price.pro.30d", "4.85", "5.00"), ("price.pro.30d", "(none)", "4.85")])
        for path, body, status in [("/admin/prices/gold", {"usd": "1"}, 404),
                                   ("/admin/prices/pro", {"usd": "4.855"}, 400),
                                   ("/admin/prices/pro", {"usd": "-1"}, 400),
                                   ("/admin/prices/pro", {"usd": "0"}, 400),
                                   ("/admin/prices/pro", {"usd": "1e3"}, 400),
                                   ("/admin/prices/pro", {"usd": "99999999999999999999"}, 400),
                                   ("/admin/prices/pro", {"usd": "1", "periodDays": 0}, 400),
                                   ("/admin/prices/pro", {"usd": "1", "periodDays": "30"}, 400)]:
            r = self.call("PUT", path, body)
            self.assertEqual(r.status, status, (path, body, r.body))
        self.assertEqual(json.dumps(self.call("GET", "/admin/prices").json()["prices"]), json.dumps(prices))

    def test_rates(self):
        r = self.cli("admin", "rates", "set", "btc", "--usd", "97000.123456")
        self.assertEqual((r.returncode, r.stdout), (0, "1 BTC = 97000.123456 USD\n"), r.stderr)
        r = self.call("PUT", "/admin/rates/USDT", {"usd": "1"})
        self.assertEqual(r.json()["rate"]["usdMicros"], 1000000)
        self.call("PUT", "/admin/rates/BTC", {"usd": "98000"})
        rates = self.call("GET", "/admin/rates").json()["rates"]
        self.assertEqual([(x["coin"], x["usd"]) for x in rates], [("BTC", "98000.000000"), ("USDT", "1.000000")])
        history = self.call("GET", "/admin/config-history?key=rate.BTC").json()["changes"]
        self.assertEqual([(c["from"], c["to"]) for c in history],
                         [("97000.123456", "98000.000000"), ("(none)", "97000.123456")])
        for path, body, status in [("/admin/rates/DOGE", {"usd": "1"}, 400), ("/admin/rates/BTC", {"usd": "1.1234567"}, 400),
                                   ("/admin/rates/BTC", {"usd": "0"}, 400), ("/admin/rates/BTC", {}, 400),
                                   ("/admin/rates/BTC", {"usd": "1000000000.000001"}, 400)]:
            r = self.call("PUT", path, body)
            self.assertEqual(r.status, status, (path, body, r.body))
        self.assertEqual(self.call("GET", "/admin/rates").json()["rates"], rates)


if __name__ == "__main__":
    unittest.main()
