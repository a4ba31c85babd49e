"""Fixtures for crypto order tests: staff set a wallet, a price and a rate; QR codes (images, or
the CLI's UTF-8 blocks turned into an image) are read back with zbarimg."""
import os
import struct
import subprocess
import zlib

from accounts_support import AccountsCase
from harness import run_cli

BTC = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
WHY = {"reason": "payment checked on the explorer", "ticketId": "PAY-7"}
BLOCKS = {"█": (True, True), "▀": (True, False), "▄": (False, True), " ": (False, False)}  # light upper, lower


def zbar(path):
    """The text of the one QR code in an image file."""
    r = subprocess.run(["zbarimg", "--raw", "-q", path], capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise AssertionError("zbarimg found no code in %s: %s" % (path, r.stderr))
    return r.stdout.rstrip("\n")


def terminal_qr_png(text, path, scale=4):
    """The QR code drawn in `text` with half blocks, written as a greyscale PNG at `path`."""
    lines = [l for l in text.splitlines() if len(l) > 20 and set(l) <= set(BLOCKS)]
    if not lines:
        raise AssertionError("no QR code in:\n" + text)
    rows = []
    for line in lines:
        rows.append([BLOCKS[c][0] for c in line])
        rows.append([BLOCKS[c][1] for c in line])
    raw = b"".join(b"\0" + bytes(255 if light else 0 for light in row for _ in range(scale))
                   for row in rows for _ in range(scale))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width, height = len(rows[0]) * scale, len(rows) * scale
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) +
           chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)
    return path


class CryptoCase(AccountsCase):
    """A daemon that takes BTC at one address, sells pro for 4.85 USD per 30 days at 97,000 USD a
    coin, and one user with an API key."""

    def setUp(self):
        super().setUp()
        for method, path, body in [("POST", "/admin/wallets", {"coin": "BTC", "network": "bitcoin", "address": BTC}),
                                   ("PUT", "/admin/prices/pro", {"usd": "4.85"}),
                                   ("PUT", "/admin/rates/BTC", {"usd": "97000"})]:
            r = self.staff(method, path, body)
            self.assertLess(r.status, 300, r.body)
        self.email = "buyer@example.com"
        self.user = self.add_user(self.email)
        self.key = self.api_key_for(self.email)

    def staff(self, method, path, body=None):
        return self.daemon.socket_request(method, path, body)

    def call(self, method, path, body=None, key=None):
        return self.as_key(key or self.key, method, path, body)

    def user_cli(self, *args, key=None):
        return run_cli(*args, env={"TSEEDER_URL": self.daemon.url, "TSEEDER_API_KEY": key or self.key})

    def buy(self, body=None, key=None, status=201):
        r = self.call("POST", "/billing/crypto/orders", body or {"plan": "pro", "coin": "BTC"}, key=key)
        self.assertEqual(r.status, status, r.body)
        return r.json().get("order") if status == 201 else r.json()

    def confirm(self, order_id, txid, why=WHY):
        return self.staff("POST", "/admin/orders/%s/confirm" % order_id, dict(why, txid=txid))

    def image(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path
