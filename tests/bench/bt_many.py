#!/usr/bin/python3
"""Many torrents at once: TORRENTS torrents of MIB MiB each, seeded by one python3-libtorrent
session on loopback (with opentracker), added together and downloaded at once by tseederd (for
USERS accounts, each adding its share with its own API key) and by qbittorrent-nox (TCP, no
queueing), in turn, in one run. While they download, every account (for qBittorrent, as many
clients) asks for its list of downloads every 100 ms, each from a process of its own. Prints
per run and as medians: total MB/s (add to all stored or complete), CPU seconds per GB, peak RSS
and peak anonymous RSS of the daemon, and the p50/p99/max latency of those list requests; then
tseeder's ratios to qBittorrent. "stall ms (n)" is the longest pause of the machine itself over the
run and how many were over 20 ms, as a real-time process pinned to each CPU saw them (StallMeter);
"steal s" is the host's count of time it did not run the machine's CPUs. "p99 clear ms (n)" is the
p99 of the list requests during which no CPU was paused for more than 10 ms, and how many were
left out for such a pause: the daemon's own latency, beside (not instead of) the p99 of all.
  tests/bench/bt_many.py [BUILD_DIR] [RUNS] [TORRENTS] [MIB] [USERS]
MAX_ACTIVE (default TORRENTS) is tseederd's jobs.max_active; qBittorrent runs all at once, or with
QUEUED=1 its own queue (Session\QueueingSystemEnabled, 3 downloads at once by default), to set
beside tseederd's default (MAX_ACTIVE=4).
CLIENTS="tseeder" leaves qBittorrent out (for trying a change); the ratios need both.
DISK_THREAD=false runs tseederd with engine_torrent.disk_thread off.
SLOW_LOG=FILE appends each list request slower than 20 ms as "client seconds-since-start ms
monotonic-clock-seconds" (the last to set beside `perf record -k CLOCK_MONOTONIC`), and each
pause of the machine as "stall-cpuN - ms monotonic-clock-seconds steal-ms".
TSEEDERD_PREFIX runs tseederd under a profiler ("heaptrack -o FILE"; its figures are then the
profiler's)."""
import base64
import filecmp
import http.client
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
TORRENTS = int(sys.argv[3]) if len(sys.argv) > 3 else 50
MIB = int(sys.argv[4]) if len(sys.argv) > 4 else 100
USERS = int(sys.argv[5]) if len(sys.argv) > 5 else 5
MAX_ACTIVE = int(os.environ.get("MAX_ACTIVE", TORRENTS))
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
os.environ.update(TSEEDERD=BUILD + "/daemon/tseederd", TSEEDER=BUILD + "/cmd/tseeder/tseeder",
                  PLUGIN_DIR=BUILD + "/plugins")
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402  (the test fixtures' daemon and wait_for)

PASSWORD = "bench-password-1"
RUN_TIMEOUT_S = int(os.environ.get("RUN_TIMEOUT_S", "900"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_sample(pid):
    """(cpu seconds, VmHWM KiB, RssAnon KiB) of a process."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            status[k] = v.split()[0] if v.split() else "0"
    return cpu, int(status.get("VmHWM", 0)), int(status.get("RssAnon", 0))


class Forked:
    """Runs self.loop(key, pipe) in a forked process for each key until stop is set; collect()
    stops them and joins the lists they send back."""

    def __init__(self, keys):
        ctx = multiprocessing.get_context("fork")
        self.stop, self.results, self.procs = ctx.Event(), [], []
        for key in keys:
            receive, send = ctx.Pipe(duplex=False)
            p = ctx.Process(target=self.loop, args=(key, send), daemon=True)
            p.start()
            send.close()
            self.results.append(receive)
            self.procs.append(p)

    def collect(self):
        self.stop.set()
        out = []
        for r in self.results:
            if r.poll(30):
                out += r.recv()
        for p in self.procs:
            p.join(10)
        return out


class StallMeter(Forked):
    """One process per CPU, pinned to it at real-time priority, waking every millisecond: a
    wake-up late by more than 5 ms means that CPU ran nothing of the machine's own for that long
    (a virtual CPU the host did not run, or a stretch the kernel could not preempt), a pause no
    process on it could avoid. Each pause is kept with the host's count of time it did not run
    that CPU (steal, /proc/stat) across it."""

    def __init__(self):
        self.steal0 = self.steal()
        super().__init__(sorted(os.sched_getaffinity(0)))

    @staticmethod
    def steal(cpu=None):
        """Seconds the host did not run the machine's CPUs (or this one) since boot."""
        with open("/proc/stat") as f:
            lines = f.read().splitlines()
        line = lines[0] if cpu is None else next(x for x in lines if x.startswith("cpu%d " % cpu))
        return int(line.split()[8]) / os.sysconf("SC_CLK_TCK")

    def loop(self, cpu, results):
        os.sched_setaffinity(0, {cpu})
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(50))
        except PermissionError:
            pass  # measured at normal priority, so it also counts waiting for its turn
        gaps, last = [], time.monotonic()
        stolen, read_at = self.steal(cpu), last
        while not self.stop.is_set():
            time.sleep(0.001)
            now = time.monotonic()
            if now - last > 0.006:
                after = self.steal(cpu)
                gaps.append((cpu, last, (now - last - 0.001) * 1000, (after - stolen) * 1000))
                stolen, read_at = after, now
            elif now - read_at > 0.005:
                stolen, read_at = self.steal(cpu), now
            last = now
        results.send(gaps)

    def finish(self):
        gaps = self.collect()
        if os.environ.get("SLOW_LOG"):
            with open(os.environ["SLOW_LOG"], "a") as f:
                for cpu, t0, ms, steal_ms in gaps:
                    f.write("stall-cpu%d - %.1f %.3f %.0f\n" % (cpu, ms, t0, steal_ms))
        return {"gaps": gaps, "stall_max": max((g[2] for g in gaps), default=0.0),
                "stalls_20": sum(1 for g in gaps if g[2] > 20), "steal": self.steal() - self.steal0}


class Pollers(Forked):
    """`count` processes, each calling ask(i) every 100 ms and timing it; ask returns True once
    that client sees all of its downloads done. Processes, not threads: threads share one
    interpreter lock, so a pause of the bench's own process counted for every client at once
    (traced once: 140 ms in which the daemon's loop sat idle in epoll_wait and the five
    requests reached it only at the end)."""

    def __init__(self, name, count, ask):
        self.name, self.ask = name, ask
        self.done = multiprocessing.get_context("fork").Array("b", count)
        self.started = time.monotonic()
        self.meter = StallMeter()
        super().__init__(range(count))

    def loop(self, i, results):
        ask, latencies = self.ask, []
        while not self.stop.is_set():
            t0 = time.monotonic()
            finished = ask(i)
            ms = (time.monotonic() - t0) * 1000
            latencies.append((t0, ms))
            self.done[i] = finished
            if ms > 20 and os.environ.get("SLOW_LOG"):
                with open(os.environ["SLOW_LOG"], "a") as f:
                    f.write("%s %.2f %.1f %.3f\n" % (self.name, t0 - self.started, ms, t0))
            self.stop.wait(max(0.0, 0.1 - ms / 1000))
        results.send(latencies)

    def all_done(self):
        return all(self.done)

    def finish(self):
        timed = self.collect()
        machine = self.meter.finish()
        # Requests during which neither CPU was paused by the machine for more than 10 ms.
        clear = [ms for t0, ms in timed
                 if not any(t0 < g0 + gms / 1000 and g0 < t0 + ms / 1000 for _, g0, gms, _ in machine["gaps"]
                            if gms > 10)]
        return dict(machine, **percentiles([ms for _, ms in timed]), p99_clear=percentiles(clear)["p99"],
                    paused=len(timed) - len(clear))


def percentiles(lat):
    lat = sorted(lat) or [0.0]
    return {"p50": lat[len(lat) // 2], "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))], "max": lat[-1],
            "requests": len(lat)}


def each_user(fn):
    """fn(i) for every user at once, on threads; returns when all are done."""
    threads = [threading.Thread(target=fn, args=(i,)) for i in range(USERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def watch(pid, pollers, what):
    """Samples the daemon every 100 ms until every poller saw its downloads done."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    peak_anon = 0
    while not pollers.all_done():
        if time.monotonic() > deadline:
            raise SystemExit("%s: not done after %d s" % (what, RUN_TIMEOUT_S))
        peak_anon = max(peak_anon, proc_sample(pid)[2])
        time.sleep(0.1)
    return peak_anon


class Bench:
    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="tseeder-btmany.")
        os.chmod(self.work, 0o755)  # opentracker reads its whitelist as nobody
        self.procs = []
        self.data = os.path.join(self.work, "data")
        self.torrent_dir = os.path.join(self.work, "torrents")
        self.connect = os.path.join(self.work, "dial")
        os.makedirs(self.data)
        for i in range(TORRENTS):
            with open(os.path.join(self.data, "t%03d.bin" % i), "wb") as f:
                for _ in range(MIB):
                    f.write(os.urandom(1 << 20))
        self.bytes = TORRENTS * MIB * (1 << 20)
        tport = free_port()
        seeder = [harness.PYTHON, os.path.join(ROOT, "tests", "tools", "bt_multi_seeder.py"), "--data-dir", self.data,
                  "--torrent-dir", self.torrent_dir, "--connect-file", self.connect,
                  "--tracker", "http://127.0.0.1:%d/announce" % tport]
        whitelist = os.path.join(self.work, "whitelist")
        subprocess.run(seeder + ["--port-file", "/dev/null", "--make-only", whitelist], check=True)
        self.spawn(["opentracker", "-i", "127.0.0.1", "-p", str(tport), "-P", str(tport), "-d", self.work,
                    "-w", "whitelist"])
        port_file = os.path.join(self.work, "seeder.port")
        self.spawn(seeder + ["--port-file", port_file])
        harness.wait_for(lambda: os.path.exists(port_file), 600, "the seeder to hash its data")
        self.torrents = sorted(os.path.join(self.torrent_dir, n) for n in os.listdir(self.torrent_dir))

    def spawn(self, args):
        self.procs.append(subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def close(self):
        for p in self.procs:
            p.kill()
            p.wait()
        shutil.rmtree(self.work, True)

    def dial(self, port):
        with open(self.connect, "a") as f:
            f.write("127.0.0.1:%d\n" % port)

    def check(self, files_root, verify):
        """Every torrent's file is there with its size; with `verify`, byte for byte."""
        found = {}
        for d, _, names in os.walk(files_root):
            for n in names:
                if n.endswith(".bin"):
                    found[n] = os.path.join(d, n)
        for n in os.listdir(self.data):
            src = os.path.join(self.data, n)
            if n not in found or os.path.getsize(found[n]) != os.path.getsize(src):
                raise SystemExit("missing or short: %s" % n)
            if verify and not filecmp.cmp(src, found[n], shallow=False):
                raise SystemExit("wrong data: %s" % n)

    # ---- tseeder ----
    def run_tseeder(self, run):
        base = os.path.join(self.work, "tseeder-%d" % run)
        os.makedirs(base)
        port = free_port()
        config = os.path.join(base, "tseederd.yaml")
        with open(config, "w") as f:
            f.write("scan:\n  enabled: false\njobs:\n  max_active: %d\n"
                    "limits:\n  api_per_minute_ip: 0\n  api_per_minute_account: 0\n  login_per_minute_ip: 0\n"
                    "  login_per_minute_account: 0\n"
                    "engine_torrent:\n  listen_interfaces: \"127.0.0.1:%d\"\n  dht: false\n  lsd: false\n"
                    "  upnp: false\n  natpmp: false\n  pex: false\n  disk_thread: %s\n"
                    % (MAX_ACTIVE, port, os.environ.get("DISK_THREAD", "true")))
        d = harness.Daemon(os.path.join(base, "var"), config=config, extra_args=["--log-level", "warn"],
                           prefix=os.environ.get("TSEEDERD_PREFIX", "").split())
        d.start(timeout=60)
        try:
            keys = [self.user_key(d, i) for i in range(USERS)]
            mine = [self.torrents[i::USERS] for i in range(USERS)]

            def ask(i):
                r = d.request("GET", "/jobs?limit=100", headers={"Authorization": "Bearer " + keys[i]})
                jobs = r.json()["jobs"] if r.status == 200 else []
                return len(jobs) == len(mine[i]) and all(j["status"] == "completed" for j in jobs)

            cpu0 = proc_sample(d.proc.pid)[0]
            t0 = time.monotonic()
            pollers = Pollers("tseeder", USERS, ask)

            def add(i):
                for t in mine[i]:
                    with open(t, "rb") as f:
                        body = {"torrent": base64.b64encode(f.read()).decode()}
                    r = d.request("POST", "/jobs", body, headers={"Authorization": "Bearer " + keys[i]})
                    if r.status != 201:
                        raise SystemExit("add: %d %s" % (r.status, r.body[:200]))
            each_user(add)
            self.dial(port)
            anon = watch(d.proc.pid, pollers, "tseeder")
            secs = time.monotonic() - t0
            cpu, hwm, _ = proc_sample(d.proc.pid)
            lat = pollers.finish()
        finally:
            d.stop(timeout=60)
        self.check(os.path.join(base, "var", "storage"), run == 1)
        shutil.rmtree(base, True)
        return dict(lat, secs=secs, cpu=cpu - cpu0, hwm=hwm, anon=anon)

    def user_key(self, d, i):
        email = "user%d@bench.invalid" % i
        r = d.socket_request("POST", "/admin/users", {"email": email, "role": "user", "plan": "pro",
                                                       "password": PASSWORD})
        assert r.status == 201, r.body
        r = d.request("POST", "/auth/login", {"email": email, "password": PASSWORD}, auth=False)
        assert r.status == 200, r.body
        h = {"Cookie": r.headers["Set-Cookie"].split(";")[0], "X-CSRF-Token": r.json()["csrfToken"]}
        r = d.request("POST", "/auth/api-keys", {"name": "bench"}, headers=h)
        assert r.status == 201, r.body
        return r.json()["key"]

    # ---- qBittorrent ----
    def run_qbittorrent(self, run):
        base = os.path.join(self.work, "qbt-%d" % run)
        save = os.path.join(base, "save")
        os.makedirs(save)
        port, webui = free_port(), free_port()
        subprocess.run(["bash", "-c", 'source "$0"; qbittorrent_profile "$1" "$2" "$3" "$4"',
                        os.path.join(ROOT, "tests", "bench", "bench_common.sh"), base, save, str(port), str(webui)],
                       check=True)
        if os.environ.get("QUEUED") == "1":
            conf = os.path.join(base, "qBittorrent", "config", "qBittorrent.conf")
            with open(conf) as f:
                text = f.read()
            with open(conf, "w") as f:
                f.write(text.replace("QueueingSystemEnabled=false", "QueueingSystemEnabled=true"))
        p = subprocess.Popen(["qbittorrent-nox", "--profile=" + base, "--save-path=" + save, "--skip-dialog=true"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        api = "127.0.0.1:%d" % webui
        try:
            harness.wait_for(lambda: self.qbt(api, "GET", "/api/v2/app/version")[0] == 200, 60, "qBittorrent's WebUI")

            def ask(i):
                status, body = self.qbt(api, "GET", "/api/v2/torrents/info")
                got = json.loads(body) if status == 200 else []
                return len(got) == TORRENTS and all(t["progress"] >= 1 for t in got)

            cpu0 = proc_sample(p.pid)[0]
            t0 = time.monotonic()
            pollers = Pollers("qbittorrent", USERS, ask)

            def add(i):
                for t in self.torrents[i::USERS]:
                    status, body = self.qbt_add(api, t)
                    if status != 200:
                        raise SystemExit("qBittorrent add: %d %s" % (status, body[:200]))
            each_user(add)
            self.dial(port)
            anon = watch(p.pid, pollers, "qbittorrent-nox")
            secs = time.monotonic() - t0
            cpu, hwm, _ = proc_sample(p.pid)
            lat = pollers.finish()
        finally:
            p.terminate()
            p.wait(60)
        self.check(save, run == 1)
        shutil.rmtree(base, True)
        return dict(lat, secs=secs, cpu=cpu - cpu0, hwm=hwm, anon=anon)

    @staticmethod
    def qbt(api, method, path, body=None, headers=None):
        c = http.client.HTTPConnection(api, timeout=30)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read()
        except OSError:
            return 0, b""
        finally:
            c.close()

    def qbt_add(self, api, torrent):
        boundary = uuid.uuid4().hex
        with open(torrent, "rb") as f:
            data = f.read()
        body = (("--%s\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"%s\"\r\n"
                 "Content-Type: application/x-bittorrent\r\n\r\n" % (boundary, os.path.basename(torrent))).encode()
                + data + ("\r\n--%s--\r\n" % boundary).encode())
        return self.qbt(api, "POST", "/api/v2/torrents/add", body,
                        {"Content-Type": "multipart/form-data; boundary=" + boundary})


def main():
    for tool in ("opentracker", "qbittorrent-nox"):
        if not shutil.which(tool):
            raise SystemExit("missing %s: run make deps" % tool)
    bench = Bench()
    try:
        gb = bench.bytes / 1e9
        print("bt_many: %d torrents of %d MiB from %d users at once, %d runs, %d cores, tseeder jobs.max_active %d, "
              "qBittorrent queueing %s" % (TORRENTS, MIB, USERS, RUNS, os.cpu_count(), MAX_ACTIVE,
                                           "on" if os.environ.get("QUEUED") == "1" else "off"))
        head = "%-12s %3s %7s %8s %9s %9s %8s %8s %8s %10s %8s %14s"
        print(head % ("client", "run", "MB/s", "CPU s/GB", "RSS MB", "anon MB", "p50 ms", "p99 ms", "max ms",
                      "stall ms", "steal s", "p99 clear ms"))
        results = {name: [] for name in os.environ.get("CLIENTS", "tseeder qbittorrent").split()}
        for run in range(1, RUNS + 1):
            for name in results:
                subprocess.run(["sync"])
                r = getattr(bench, "run_" + name)(run)
                r["mbs"], r["cpu_gb"] = bench.bytes / r["secs"] / 1e6, r["cpu"] / gb
                results[name].append(r)
                print("%-12s %3d %7.0f %8.2f %9.0f %9.0f %8.1f %8.1f %8.1f %5.1f (%2d) %8.2f %7.1f (%4d)" % (
                    name, run, r["mbs"], r["cpu_gb"], r["hwm"] / 1024, r["anon"] / 1024, r["p50"], r["p99"],
                    r["max"], r["stall_max"], r["stalls_20"], r["steal"], r["p99_clear"], r["paused"]))
        print("medians:")
        med = {n: {k: statistics.median(r[k] for r in rs) for k in ("mbs", "cpu_gb", "hwm", "anon", "p50", "p99",
                                                                       "max", "p99_clear")}
               for n, rs in results.items()}
        for n, m in med.items():
            print("%-12s     %7.0f %8.2f %9.0f %9.0f %8.1f %8.1f %8.1f %28.1f" % (
                n, m["mbs"], m["cpu_gb"], m["hwm"] / 1024, m["anon"] / 1024, m["p50"], m["p99"], m["max"],
                m["p99_clear"]))
        if len(med) < 2:
            return
        t, q = med["tseeder"], med["qbittorrent"]
        print("tseeder / qbittorrent: MB/s %.2fx, CPU per GB %.2fx (lower is better)" % (
            t["mbs"] / q["mbs"], t["cpu_gb"] / q["cpu_gb"]))
    finally:
        bench.close()


if __name__ == "__main__":
    main()
