"""A loopback card processor that speaks Stripe's API as tseederd uses it, with the shapes of
Stripe's API reference: the Checkout Session object (POST /v1/checkout/sessions: id cs_…,
object "checkout.session", url on checkout.stripe.com, mode, status, payment_status,
client_reference_id, customer, subscription, metadata), the Customer Portal Session object
(POST /v1/billing_portal/sessions: id bps_…, object "billing_portal.session", customer,
return_url, url), errors as {"error": {"type", "message"}} with 4xx statuses, and webhook Event
objects (id evt_…, object "event", api_version, created, data.object, livemode,
pending_webhooks, request, type) signed as Stripe's "verify webhook signatures manually" guide
describes: Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the endpoint
secret>."""
import hashlib
import hmac
import http.server
import json
import secrets
import threading
import time
import urllib.parse

SECRET_KEY = "sk_test_51tseederFake"
WEBHOOK_SECRET = "whsec_tseederFakeEndpointSecret"


def signature(body, secret=WEBHOOK_SECRET, t=None):
    t = int(time.time()) if t is None else t
    mac = hmac.new(secret.encode(), ("%d." % t).encode() + body, hashlib.sha256).hexdigest()
    return "t=%d,v1=%s" % (t, mac)


def event(kind, obj, event_id=None):
    return {"id": event_id or "evt_" + secrets.token_hex(12), "object": "event", "api_version": "2024-06-20",
            "created": int(time.time()), "data": {"object": obj}, "livemode": False, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None}, "type": kind}


class FakeStripe:
    def __init__(self):
        self.requests = []  # (path, {field: value})
        self.fail = None  # (status, message): the next call answers this error
        self.lock = threading.Lock()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                with fake.lock:
                    fake.requests.append((self.path, form))
                    failure, fake.fail = fake.fail, None
                if self.headers.get("Authorization") != "Bearer " + SECRET_KEY:
                    return self.answer(401, {"error": {"type": "invalid_request_error",
                                                       "message": "Invalid API Key provided: sk_test_****"}})
                if failure:
                    return self.answer(failure[0], {"error": {"type": "invalid_request_error",
                                                              "message": failure[1]}})
                if self.path == "/v1/checkout/sessions":
                    sid = "cs_test_" + secrets.token_hex(16)
                    return self.answer(200, {
                        "id": sid, "object": "checkout.session",
                        "amount_total": int(form.get("line_items[0][price_data][unit_amount]", 0)),
                        "cancel_url": form.get("cancel_url"), "client_reference_id": form.get("client_reference_id"),
                        "currency": "usd", "customer": form.get("customer"),
                        "customer_email": form.get("customer_email"), "livemode": False,
                        "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
                        "mode": form.get("mode"), "payment_status": "unpaid", "status": "open",
                        "subscription": None, "success_url": form.get("success_url"),
                        "url": "https://checkout.stripe.com/c/pay/" + sid})
                if self.path == "/v1/billing_portal/sessions":
                    return self.answer(200, {
                        "id": "bps_" + secrets.token_hex(12), "object": "billing_portal.session",
                        "created": int(time.time()), "customer": form.get("customer"), "livemode": False,
                        "return_url": form.get("return_url"),
                        "url": "https://billing.stripe.com/p/session/test_" + secrets.token_hex(12)})
                return self.answer(404, {"error": {"type": "invalid_request_error",
                                                   "message": "Unrecognized request URL (POST: %s)" % self.path}})

            def answer(self, status, obj):
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def last(self, path):
        with self.lock:
            return [form for p, form in self.requests if p == path][-1]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
