"""A loopback Esplora API for the chain-esplora watcher: GET /blocks/tip/height (plain text) and
GET /address/:address/txs (a JSON array, newest first), with the transaction fields of
Blockstream's esplora API.md (txid, version, locktime, vin, vout with scriptpubkey_address and
value in satoshis, size, weight, fee, status with confirmed and block_height). Tests add
transactions, mine blocks and can make it answer badly."""
import http.server
import json
import secrets
import threading


class FakeEsplora:
    def __init__(self):
        self.tip = 870000
        self.txs = []  # newest last
        self.broken = None  # set: the body of every /address answer
        self.address_calls = 0
        self.lock = threading.Lock()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                with fake.lock:
                    if self.path == "/api/blocks/tip/height":
                        return self.answer(200, str(fake.tip), "text/plain")
                    if self.path.startswith("/api/address/") and self.path.endswith("/txs"):
                        fake.address_calls += 1
                        if fake.broken is not None:
                            return self.answer(200, fake.broken, "application/json")
                        address = self.path[len("/api/address/"):-len("/txs")]
                        txs = [fake.shape(t) for t in reversed(fake.txs)
                               if any(o["scriptpubkey_address"] == address for o in t["vout"])]
                        return self.answer(200, json.dumps(txs), "application/json")
                    return self.answer(404, "Not Found", "text/plain")

            def answer(self, status, body, kind):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/api" % self.server.server_address[1]

    def shape(self, t):
        status = {"confirmed": False}
        if t["height"] is not None:
            status = {"confirmed": True, "block_height": t["height"], "block_hash": "00" * 32,
                      "block_time": 1760000000 + t["height"]}
        return {"txid": t["txid"], "version": 2, "locktime": 0,
                "vin": [{"txid": "ff" * 32, "vout": 0, "is_coinbase": False, "scriptsig": "",
                         "scriptsig_asm": "", "witness": [], "sequence": 4294967293,
                         "prevout": {"scriptpubkey": "0014" + "11" * 20, "scriptpubkey_asm": "",
                                     "scriptpubkey_type": "v0_p2wpkh",
                                     "scriptpubkey_address": "bc1qsender", "value": 10 ** 8}}],
                "vout": t["vout"], "size": 222, "weight": 561, "fee": 1410, "status": status}

    def pay(self, address, sats, txid=None):
        """A transaction paying `sats` to `address` (and change elsewhere), unconfirmed."""
        txid = txid or secrets.token_hex(32)
        out = lambda a, v: {"scriptpubkey": "0014" + "22" * 20, "scriptpubkey_asm": "",
                            "scriptpubkey_type": "v0_p2wpkh", "scriptpubkey_address": a, "value": v}
        with self.lock:
            self.txs.append({"txid": txid, "height": None,
                             "vout": [out(address, sats), out("bc1qchange", 99000000 - sats)]})
        return txid

    def mine(self, blocks=1):
        """Puts every unconfirmed transaction in the next block, then adds `blocks` - 1 more."""
        with self.lock:
            self.tip += 1
            for t in self.txs:
                if t["height"] is None:
                    t["height"] = self.tip
            self.tip += blocks - 1

    def calls(self):
        with self.lock:
            return self.address_calls

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
