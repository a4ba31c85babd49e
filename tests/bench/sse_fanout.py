#!/usr/bin/python3
"""Live progress at scale: SUBSCRIBERS event streams on one daemon while JOBS downloads report.

Starts tseederd (limits raised for this many streams), JOBS URL downloads of throttled files so
every one keeps reporting progress once a second, then opens SUBSCRIBERS streams
(GET /jobs/{id}/events, spread evenly over the jobs) from one client process and reads them for
SECONDS. For each progress event (a job's event number) it notes when each of that job's streams
received it: the spread from the first stream to the last is how late fan-out delivered it to
the slowest subscriber (the first is within a loop turn of the engine's report). Prints the
spread's median, p99 and maximum, events delivered per second, and the daemon's CPU and RSS.
  tests/bench/sse_fanout.py [BUILD_DIR] [SUBSCRIBERS] [JOBS] [SECONDS]
"""
import http.client
import json
import os
import resource
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
subscribers = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
n_jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 50
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 20
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
need = subscribers + 512
if hard < need:
    sys.exit("sse_fanout: needs %d open files, the limit is %d (ulimit -n)" % (need, hard))
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # inherited by the daemon too

tmp = tempfile.mkdtemp(prefix="tseeder-sse-bench-")
procs = []


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    shutil.rmtree(tmp, True)


try:
    www = os.path.join(tmp, "www")
    os.makedirs(www)
    for i in range(n_jobs):
        with open(os.path.join(www, "f%d.bin" % i), "wb") as f:
            f.truncate(1 << 30)  # sparse: served at --rate, never finished within the run
    port_file = os.path.join(tmp, "www.port")
    procs.append(subprocess.Popen(["/usr/bin/python3", os.path.join(root, "tests/tools/http_server.py"), "--root", www,
                                   "--port-file", port_file, "--rate", "65536"]))
    while not os.path.exists(port_file):
        time.sleep(0.05)
    www_port = int(open(port_file).read().strip())

    cfg = os.path.join(tmp, "c.yaml")
    with open(cfg, "w") as f:
        f.write("scan:\n  enabled: false\njobs:\n  max_active: %d\nlimits:\n  api_per_minute_ip: 0\n"
                "  api_per_minute_account: 0\n  streams_per_account: %d\nhttp:\n  max_connections: %d\n"
                "  max_connections_per_address: %d\nlog:\n  level: warn\n"
                % (n_jobs, subscribers + 100, subscribers + 200, subscribers + 200))
    ready = os.path.join(tmp, "ready")
    data = os.path.join(tmp, "var")
    daemon = subprocess.Popen([os.path.join(build, "daemon/tseederd"), "--config", cfg, "--data-dir", data,
                               "--listen", "127.0.0.1:0", "--plugin-dir", os.path.join(build, "plugins"),
                               "--allow-private-urls", "--ready-file", ready], stdout=subprocess.DEVNULL)
    procs.append(daemon)
    while not os.path.exists(ready):
        if daemon.poll() is not None:
            sys.exit("tseederd exited")
        time.sleep(0.05)
    info = json.load(open(ready))
    host, port = info["url"].split("//")[1].split(":")
    port = int(port)

    def call(method, path, body=None):
        conn = http.client.HTTPConnection("localhost", 0)
        conn.sock = socket.socket(socket.AF_UNIX)
        conn.sock.connect(info["socket"])
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        out = json.loads(r.read() or b"null")
        conn.close()
        return r.status, out

    status, made = call("POST", "/auth/api-keys", {"name": "bench"})
    key = made["key"]
    jobs = []
    for i in range(n_jobs):
        status, job = call("POST", "/jobs", {"url": "http://127.0.0.1:%d/f%d.bin" % (www_port, i)})
        assert status == 201, job
        jobs.append(job["id"])
    deadline = time.time() + 60
    while time.time() < deadline:
        _, listed = call("GET", "/jobs?status=downloading&limit=500")
        if len(listed["jobs"]) == n_jobs:
            break
        time.sleep(0.5)
    else:
        sys.exit("not every job is downloading")

    sel = selectors.DefaultSelector()
    request = ("GET /jobs/%s/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key + "\r\n\r\n")
    opened = time.time()
    for n in range(subscribers):
        job = jobs[n % n_jobs]
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall((request % job).encode())
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, [job, b""])
    print("sse_fanout: %d streams over %d downloading jobs (opened in %.1f s), %d cores" %
          (subscribers, n_jobs, time.time() - opened, os.cpu_count()))

    def cpu_ticks():
        with open("/proc/%d/stat" % daemon.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    arrivals = {}  # (job, seq) -> [first, last, count]
    start = time.time()
    warm = start + 3
    end = warm + seconds
    cpu0 = None
    delivered = 0
    while time.time() < end:
        if cpu0 is None and time.time() >= warm:
            cpu0 = cpu_ticks()
        for sk, _ in sel.select(timeout=0.5):
            now = time.time()
            st = sk.data
            try:
                chunk = sk.fileobj.recv(65536)
            except BlockingIOError:
                continue
            if not chunk:
                sel.unregister(sk.fileobj)
                continue
            st[1] += chunk
            while b"\n\n" in st[1]:
                event, st[1] = st[1].split(b"\n\n", 1)
                if b"event: progress" not in event or now < warm:
                    continue
                seq = next((line[4:] for line in event.split(b"\n") if line.startswith(b"id: ")), None)
                if seq is None:
                    continue
                delivered += 1
                a = arrivals.setdefault((st[0], seq), [now, now, 0])
                a[1] = now
                a[2] += 1
    cpu_s = (cpu_ticks() - cpu0) / os.sysconf("SC_CLK_TCK")
    per_job = subscribers // n_jobs
    whole = [(a[1] - a[0]) * 1000 for a in arrivals.values() if a[2] >= per_job]
    with open("/proc/%d/status" % daemon.pid) as f:
        rss = next(line.split()[1] for line in f if line.startswith("VmRSS"))
    print("  progress events: %d delivered (%.0f/s), %d reached all %d streams of their job"
          % (delivered, delivered / seconds, len(whole), per_job))
    if whole:
        whole.sort()
        print("  fan-out spread, first to last stream of a job: median %.1f ms, p99 %.1f ms, max %.1f ms"
              % (statistics.median(whole), whole[int(len(whole) * 0.99) - 1 if len(whole) > 1 else 0], whole[-1]))
    print("  daemon CPU %.0f %% of a core, RSS %s KiB" % (cpu_s / seconds * 100, rss))
    print("  (the client is one Python process reading every stream: its own delay is part of the spread)")
finally:
    cleanup()
