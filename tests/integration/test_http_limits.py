"""Connections are bounded: half-sent requests time out, a flood of them at the open-file limit
leaves /health and the operator's Unix socket answering, one address cannot take every
connection, and nobody can make the daemon read a large body before it knows who is asking."""
import json
import os
import socket
import threading
import time
import unittest

from harness import DaemonTest, run_cli, wait_for

HTTP_CONFIG = """http:
  header_timeout_s: %d
  idle_timeout_s: %d
  body_timeout_s: 2
  max_connections_per_address: %d
"""


def connect(port, source="127.0.0.1"):
    s = socket.socket()
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def closed_by_server(s, timeout):
    """True when the server closes `s` (EOF or reset) within `timeout` seconds."""
    s.settimeout(timeout)
    try:
        return s.recv(4096) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def timed_get(port, path="/health", timeout=5):
    """(status, seconds) of one GET on a fresh connection; status 0 when it was closed unanswered."""
    began = time.monotonic()
    s = connect(port)
    s.settimeout(timeout)
    s.sendall(b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % path.encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    status = int(data.split(b" ", 2)[1]) if data else 0  # 0: closed without an answer
    return status, time.monotonic() - began


class HttpLimitsCase(DaemonTest):
    header_timeout = 2
    idle_timeout = 3
    per_address = 64
    role = ""

    def setUp(self):
        super().setUp()
        self.daemon.config = self.config_file(HTTP_CONFIG % (self.header_timeout, self.idle_timeout, self.per_address)
                                              + ("role: %s\n" % self.role if self.role else ""))

    def port(self):
        return int(self.daemon.url.rsplit(":", 1)[1])


class FloodTest(HttpLimitsCase):
    header_timeout = 30  # the flood must still be there while the daemon is asked
    per_address = 2000

    def test_1100_half_open_requests_at_1024_open_files(self):
        self.daemon.open_files = 1024
        self.daemon.start()
        port = self.port()
        flood = []
        self.addCleanup(lambda: [s.close() for s in flood])
        for _ in range(1100):
            s = connect(port)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            flood.append(s)
        # Every connection was taken in (or turned away) and the daemon is calm, not spinning.
        wait_for(lambda: self.daemon.status_field("FDSize") > 0, 5, "the daemon")
        cpu = self.daemon.cpu_seconds()
        time.sleep(1)
        self.assertLess(self.daemon.cpu_seconds() - cpu, 0.5, "the daemon is busy with nothing to do")

        status, took = timed_get(port)
        self.assertEqual(status, 200)
        self.assertLess(took, 1.0)
        began = time.monotonic()
        r = run_cli("--socket", self.daemon.socket, "admin", "users", "ls", timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertLess(time.monotonic() - began, 1.0)
        # The oldest half-requests made room for newer ones; the daemon never held more files
        # than its limit allows.
        self.assertTrue(closed_by_server(flood[0], 5))
        self.assertLessEqual(len(os.listdir("/proc/%d/fd" % self.daemon.proc.pid)), 1024)
        self.assertIn("connections turned away", self.daemon.read_log())


class TimeoutTest(HttpLimitsCase):
    def test_half_requests_idle_connections_and_stalled_bodies_are_closed(self):
        self.daemon.start()
        port = self.port()
        nothing = connect(port)  # connects and says nothing
        half = connect(port)
        half.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        began = time.monotonic()
        self.assertTrue(closed_by_server(nothing, 10))
        self.assertTrue(closed_by_server(half, 10))
        self.assertLess(time.monotonic() - began, self.header_timeout + 2)

        # A kept-alive connection waits idle_timeout for its next request, not less.
        kept = connect(port)
        kept.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        kept.settimeout(5)
        self.assertIn(b"200 OK", kept.recv(65536))
        began = time.monotonic()
        self.assertTrue(closed_by_server(kept, 10))
        self.assertGreater(time.monotonic() - began, self.idle_timeout - 0.5)

        # A body that stops coming.
        body = connect(port)
        body.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{\"email\":")
        self.assertTrue(closed_by_server(body, 10))
        self.assertEqual(timed_get(port)[0], 200)


class PerAddressTest(HttpLimitsCase):
    per_address = 4

    def test_one_address_cannot_take_every_connection(self):
        self.daemon.start()
        port = self.port()
        # Four live event streams from 127.0.0.1 keep their connections busy.
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("missing")}, expect=201)
        streams = []
        self.addCleanup(lambda: [s.close() for s in streams])
        for _ in range(4):
            s = connect(port)
            s.sendall(b"GET /jobs/%s/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n"
                      % (job["id"].encode(), self.daemon.api_key.encode()))
            s.settimeout(5)
            self.assertIn(b"200 OK", s.recv(65536))
            streams.append(s)
        # A fifth from the same address has no connection to take the place of.
        self.assertTrue(closed_by_server(connect(port), 5))
        # Another address is served.
        other = connect(port, source="127.0.0.2")
        other.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        other.settimeout(5)
        self.assertIn(b"200 OK", other.recv(65536))
        # A stream that hangs up frees its place (once the daemon saw it go)...
        streams.pop().close()

        def served():
            try:
                return timed_get(port)[0] == 200
            except OSError:
                return False
        wait_for(served, 10, "the closed stream's place")
        # ...and an idle connection of the full address makes way for a new request of its own
        # (connections are taken in the order they came).
        idle = connect(port)
        status, _took = timed_get(port)
        self.assertEqual(status, 200)
        self.assertTrue(closed_by_server(idle, 5))


class BodyBeforeAuthTest(HttpLimitsCase):
    role = "controller"

    def send_big(self, port, path, headers=b""):
        """Announces a 32 MiB body and sends it while the server answers; returns the status."""
        s = connect(port)
        s.sendall(b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n%s"
                  b"Content-Length: %d\r\n\r\n" % (path.encode(), headers, 32 << 20))
        block = b"x" * (1 << 20)

        def pour():
            try:
                for _ in range(32):
                    s.sendall(block)
            except OSError:
                pass
        t = threading.Thread(target=pour, daemon=True)
        t.start()
        s.settimeout(10)
        head = s.recv(65536)
        return s, t, int(head.split(b" ", 2)[1])

    def test_twenty_unsigned_32_mib_event_batches_are_refused_before_their_bodies(self):
        self.daemon.start()
        port = self.port()
        peak = self.daemon.status_field("VmHWM")  # the peak so far (start-up hashes a password: 19 MiB)
        held = []
        bad_sig = (b"X-Tseeder-Agent: nobody\r\nX-Tseeder-Timestamp: %d\r\nX-Tseeder-Nonce: %s\r\n"
                   b"X-Tseeder-Signature: %s\r\n" % (int(time.time()), b"0" * 32, b"0" * 64))
        for i in range(20):
            s, t, status = self.send_big(port, "/fleet/v1/events", b"" if i % 2 else bad_sig)
            self.assertIn(status, (401, 429))
            held.append((s, t))
        for s, t in held:
            t.join(timeout=30)
            s.close()
        grew_kb = self.daemon.status_field("VmHWM") - peak
        self.assertLess(grew_kb, 20 * 1024, "RSS grew by %d kB" % grew_kb)


class RefusedWireCallsTest(HttpLimitsCase):
    role = "controller"

    def test_ten_thousand_bad_wire_calls_write_at_most_a_hundred_audit_rows(self):
        self.daemon.start()
        s = connect(self.port())
        s.settimeout(10)
        f = s.makefile("rb")
        statuses = {}
        for i in range(10_000):
            s.sendall(b"POST /fleet/v1/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"X-Tseeder-Agent: forger%d\r\nX-Tseeder-Timestamp: %d\r\nX-Tseeder-Nonce: %s\r\n"
                      b"X-Tseeder-Signature: %s\r\nContent-Length: 0\r\n\r\n"
                      % (i, int(time.time()), b"%032x" % i, b"0" * 64))
            status = int(f.readline().split(b" ", 2)[1])
            length = 0
            while True:
                line = f.readline()
                if line in (b"\r\n", b""):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            f.read(length)
            statuses[status] = statuses.get(status, 0) + 1
        s.close()
        self.assertEqual(set(statuses), {401, 429}, statuses)
        rows = self.daemon.db_rows("SELECT count(*) FROM audit_log WHERE action = 'fleet.wire.rejected'")[0][0]
        self.assertLessEqual(rows, 100)
        self.assertGreater(rows, 0)


class RoleRoutesTest(HttpLimitsCase):
    def test_the_fleet_wire_does_not_exist_on_a_single_node(self):
        self.daemon.start()
        s = connect(self.port())
        s.sendall(b"POST /fleet/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % (32 << 20))
        s.settimeout(5)
        self.assertIn(b"404 Not Found", s.recv(65536))  # answered without a byte of the body


class SmugglingTest(HttpLimitsCase):
    def raw(self, request):
        s = connect(self.port())
        s.sendall(request)
        s.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        return int(data.split(b" ", 2)[1]), data

    def test_odd_transfer_encodings_and_two_hosts_are_refused(self):
        self.daemon.start()
        for te in (b"gzip", b"gzip, chunked", b"chunked, identity", b"identity"):
            status, data = self.raw(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    b"Transfer-Encoding: %s\r\n\r\n0\r\n\r\n" % te)
            self.assertEqual(status, 501, (te, data))
        status, _ = self.raw(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        self.assertEqual(status, 400)  # the parser refuses chunked twice itself
        status, data = self.raw(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n")
        self.assertEqual(status, 400, data)
        self.assertIn(b"more than one Host", data)
        # Plain chunked bodies still work.
        body = json.dumps({"email": "nobody@example.com", "password": "wrong password"}).encode()
        status, _ = self.raw(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        self.assertEqual(status, 401)


if __name__ == "__main__":
    unittest.main()
