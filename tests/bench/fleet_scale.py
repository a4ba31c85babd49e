#!/usr/bin/python3
"""How far one controller goes: jobs dispatched per second and agent heartbeats per second.

Starts a controller (role controller) on loopback, registers 5 simulated agents over the signed
wire (join tokens are made at most 5 a minute), then, for RUNS rounds:
  - dispatch: N jobs wait while every agent is drained; the agents are undrained and poll
    /fleet/v1/work each as fast as it answers; the time until all N are assigned gives jobs/s;
  - heartbeats: T threads send signed heartbeats as the 5 agents for S seconds: heartbeats/s.
Prints each round and the medians.
  tests/bench/fleet_scale.py [BUILD_DIR] [RUNS] [JOBS] [THREADS] [SECONDS]
"""
import hashlib
import hmac
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
n_jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 8
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 5
AGENTS = 5

tmp = tempfile.mkdtemp(prefix="tseeder-fleet-bench-")
cfg = os.path.join(tmp, "c.yaml")
with open(cfg, "w") as f:
    f.write("role: controller\nscan:\n  enabled: false\nlog:\n  level: warn\nlimits:\n  api_per_minute_ip: 0\n"
            "  api_per_minute_account: 0\n")
ready = os.path.join(tmp, "ready")
proc = subprocess.Popen([os.path.join(build, "daemon/tseederd"), "--config", cfg, "--data-dir", os.path.join(tmp, "c"),
                         "--listen", "127.0.0.1:0", "--plugin-dir", os.path.join(build, "plugins"),
                         "--ready-file", ready, "--allow-private-urls"], stdout=subprocess.DEVNULL)
sock = os.path.join(tmp, "c", "tseederd.sock")


class Unix(http.client.HTTPConnection):
    def connect(self):
        import socket
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(sock)


def local(method, path, body=None):
    c = Unix("localhost")
    c.request(method, path, json.dumps(body) if body is not None else None, {"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    c.close()
    if r.status >= 300:
        raise SystemExit("%s %s: %d %s" % (method, path, r.status, data[:200]))
    return json.loads(data) if data else None


def signed(conn, agent, secret, path, body):
    raw = json.dumps(body).encode()
    ts, nonce = str(int(time.time())), secrets.token_hex(16)
    text = "\n".join(["POST", path, ts, nonce, hashlib.sha256(raw).hexdigest()])
    sig = hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()
    conn.request("POST", path, raw, {"X-Tseeder-Agent": agent, "X-Tseeder-Timestamp": ts, "X-Tseeder-Nonce": nonce,
                                     "X-Tseeder-Signature": sig, "Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise SystemExit("%s: %d %s" % (path, r.status, data[:200]))
    return json.loads(data)


try:
    while not os.path.exists(ready):
        if proc.poll() is not None:
            raise SystemExit("tseederd exited")
        time.sleep(0.05)
    host, port = json.load(open(ready))["url"].split("//")[1].split(":")
    conn = lambda: http.client.HTTPConnection(host, int(port), timeout=30)
    caps = {"cores": 2, "memoryBytes": 1 << 30, "freeDiskBytes": 1 << 40, "engines": ["engine-http"], "scanners": [],
            "maxJobs": 1000, "score": 100, "version": "bench"}
    agents = []
    for i in range(AGENTS):
        token = local("POST", "/admin/fleet/join-tokens", {"note": "bench"})["token"]
        boot = secrets.token_hex(16)
        reg = signed(conn(), "join", token, "/fleet/v1/register",
                     {"token": token, "name": "sim%d" % i, "bootId": boot, "capabilities": caps})
        agents.append((reg["agentId"], reg["secret"], boot))
    hb = lambda a: {"bootId": a[2], "active": 0, "jobs": [], "capabilities": caps}
    dispatch_rates, heartbeat_rates = [], []
    for run in range(runs):
        for a in agents:
            local("POST", "/admin/fleet/agents/%s/drain" % a[0], {})
        ids = [local("POST", "/jobs", {"url": "http://127.0.0.1:9/r%d/j%d" % (run, j)})["id"] for j in range(n_jobs)]
        assigned = set()
        lock = threading.Lock()
        t0 = time.monotonic()
        for a in agents:
            local("POST", "/admin/fleet/agents/%s/undrain" % a[0], {})

        def poll(a):
            c = conn()
            while True:
                got = [x["assignment"]["jobId"] for x in signed(c, a[0], a[1], "/fleet/v1/work", {})["commands"]
                       if x["type"] == "assign"]
                with lock:
                    assigned.update(got)
                    if len(assigned) >= n_jobs or time.monotonic() - t0 > 120:
                        return

        ts = [threading.Thread(target=poll, args=(a,)) for a in agents]
        [t.start() for t in ts]
        [t.join() for t in ts]
        took = time.monotonic() - t0
        dispatch_rates.append(len(assigned) / took)
        for i in ids:  # frees the agents' slots for the next round
            local("DELETE", "/jobs/" + i)

        count = [0]
        stop = time.monotonic() + seconds

        def beat(k):
            c = conn()
            a = agents[k % AGENTS]
            n = 0
            while time.monotonic() < stop:
                signed(c, a[0], a[1], "/fleet/v1/heartbeat", hb(a))
                n += 1
            with lock:
                count[0] += n

        t1 = time.monotonic()
        ts = [threading.Thread(target=beat, args=(k,)) for k in range(threads)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        heartbeat_rates.append(count[0] / (time.monotonic() - t1))
        print("run %d: %d jobs dispatched in %.2f s = %.0f jobs/s; %.0f heartbeats/s from %d threads" % (
            run + 1, len(assigned), took, dispatch_rates[-1], heartbeat_rates[-1], threads))
    print("median: %.0f jobs dispatched/s, %.0f heartbeats/s (1 controller, SQLite, %d simulated agents, loopback)"
          % (statistics.median(dispatch_rates), statistics.median(heartbeat_rates), AGENTS))
    # Each agent calls about 1.1 times a second: a work poll each second, a heartbeat each 10 s.
    print("agents one controller answers if a poll costs what a heartbeat does: about %d"
          % (statistics.median(heartbeat_rates) / 1.1))
finally:
    proc.terminate()
    proc.wait(timeout=30)
    shutil.rmtree(tmp, True)
