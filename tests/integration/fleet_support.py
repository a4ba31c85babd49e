"""Fixtures for fleet tests: a controller (role controller) and agents as separate tseederd
processes on loopback, each with its own data dir, all storing to one shared directory; and a
signer for tests that speak the agents' wire themselves."""
import hashlib
import hmac
import json
import os
import secrets
import signal
import subprocess
import time

from harness import PLUGIN_DIR, TSEEDERD, Daemon, DaemonTest, wait_for

BT = """engine_torrent:
  listen_interfaces: "127.0.0.1:0"
  dht: false
  lsd: false
  upnp: false
  natpmp: false
  allow_multiple_connections_per_ip: true
"""


def sign(secret, agent, method, path, body, ts=None, nonce=None):
    """The headers an agent sends: HMAC-SHA256 over method, path, timestamp, nonce, body SHA-256."""
    ts = str(int(time.time()) if ts is None else ts)
    nonce = nonce or secrets.token_hex(16)
    text = "\n".join([method, path, ts, nonce, hashlib.sha256(body).hexdigest()])
    sig = hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()
    return {"X-Tseeder-Agent": agent, "X-Tseeder-Timestamp": ts, "X-Tseeder-Nonce": nonce,
            "X-Tseeder-Signature": sig, "Content-Type": "application/json"}


def reply_ok(secret, path, headers, response):
    """Whether the controller signed its answer to the request sent with `headers`."""
    text = "\n".join(["REPLY", path, headers["X-Tseeder-Timestamp"], headers["X-Tseeder-Nonce"],
                      hashlib.sha256(response.body).hexdigest()])
    want = hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()
    return response.headers.get("X-Tseeder-Signature") == want


class AgentProcess:
    """One tseederd with role agent; it opens no port, so readiness is its ready file."""

    def __init__(self, tmp, name, controller_url, token, max_jobs=2, extra=""):
        self.data_dir = os.path.join(tmp, name)
        os.makedirs(self.data_dir, exist_ok=True)
        self.name = name
        self.config = os.path.join(tmp, name + ".yaml")
        with open(self.config, "w") as f:
            f.write("role: agent\nfleet:\n  controller_url: %s\n  join_token: %s\n  agent_name: %s\n"
                    "jobs:\n  max_active: %d\nstorage:\n  local:\n    path: %s\n%s%s"
                    % (controller_url, token, name, max_jobs, os.path.join(tmp, "shared"), BT, extra))
        self.ready = os.path.join(tmp, name + ".ready")
        self.log_path = os.path.join(tmp, name + ".log")
        self.proc = None
        self.agent_id = None

    def start(self, timeout=30):
        if os.path.exists(self.ready):
            os.unlink(self.ready)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([TSEEDERD, "--config", self.config, "--data-dir", self.data_dir,
                                      "--plugin-dir", PLUGIN_DIR, "--ready-file", self.ready, "--allow-private-urls"],
                                     stdout=subprocess.DEVNULL, stderr=self.log)

        def ready():
            if self.proc.poll() is not None:
                self.log.close()
                raise AssertionError("agent %s exited with %s:\n%s" % (self.name, self.proc.returncode, self.read_log()))
            return os.path.exists(self.ready)

        wait_for(ready, timeout, "agent %s to join" % self.name)
        with open(self.ready) as f:
            self.agent_id = json.load(f)["agent"]
        return self

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")[-4000:]

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
                raise AssertionError("agent %s did not stop within 20 s of SIGTERM" % self.name)
            self.log.close()
            if rc != 0:
                raise AssertionError("agent %s exited with %s on SIGTERM:\n%s" % (self.name, rc, self.read_log()))


class FleetCase(DaemonTest):
    """A controller on 127.0.0.1:0 (scanning off unless `scan`, local storage in a directory its
    agents share). Agents scan when their controller says so, with their own scanner."""

    controller_config = ""
    scan = False

    def setUp(self):
        super().setUp()
        cfg = os.path.join(self.tmp, "controller.yaml")
        with open(cfg, "w") as f:
            f.write("role: controller\nscan:\n  enabled: %s\nstorage:\n  local:\n    path: %s\n%s%s"
                    % ("true" if self.scan else "false", os.path.join(self.tmp, "shared"), BT, self.controller_config))
        self.daemon = Daemon(os.path.join(self.tmp, "controller"), config=cfg)
        self.daemon.start()
        # Agents know the controller by its address: a restart keeps it.
        self.daemon.listen = self.daemon.url.split("://")[1]
        self.agents = []

    def join_token(self):
        r = self.daemon.socket_request("POST", "/admin/fleet/join-tokens", {"note": "tests"})
        self.assertEqual(r.status, 201, r.body)
        return r.json()["token"]

    def start_agent(self, name, max_jobs=2, extra=""):
        a = AgentProcess(self.tmp, name, self.daemon.url, self.join_token(), max_jobs, extra)
        self.agents.append(a)
        self.addCleanup(a.stop)
        return a.start()

    def add_url_job(self, path):
        """A job for a file of the test's HTTP server; its id."""
        r = self.daemon.api("POST", "/jobs", {"url": self.http.url(path)}, expect=201)
        return r.get("job", r)["id"]

    def assignments(self):
        """{job id: agent id} of the controller's current assignments."""
        return dict(self.daemon.db_rows("SELECT job_id, agent_id FROM fleet_assignments"))

    def fleet(self):
        r = self.daemon.socket_request("GET", "/admin/fleet/agents")
        self.assertEqual(r.status, 200, r.body)
        return {a["id"]: a for a in r.json()["agents"]}

    def wire(self, path, body, agent, secret, **sign_args):
        raw = json.dumps(body).encode()
        headers = sign(secret, agent, "POST", path, raw, **sign_args)
        return self.daemon.request("POST", path, raw_body=raw, headers=headers, auth=False), headers
