"""Test fixtures: the real tseederd, the real tseeder CLI and a loopback HTTP server.

Every process started here is stopped by the fixture; every wait is bounded.
Paths to the binaries come from the environment set by CTest (see tests/CMakeLists.txt).
"""
import atexit
import email
import hashlib
import http.client
import json
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse

TSEEDERD = os.environ.get("TSEEDERD", "")
TSEEDER = os.environ.get("TSEEDER", "")
PLUGIN_DIR = os.environ.get("PLUGIN_DIR", "")
TEST_PLUGIN_DIR = os.environ.get("TEST_PLUGIN_DIR", "")
HTTP_SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "http_server.py")
SMTP_SINK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "smtp_sink.py")
# The CLI never reads the credentials of whoever runs the tests.
CLI_CONFIG_HOME = tempfile.mkdtemp(prefix="tseeder-cli-config-")
# Each test process has a runtime dir of its own: the link a daemon keeps to its socket (which
# the CLI follows from any directory) never leads to another test's daemon.
RUNTIME_DIR = tempfile.mkdtemp(prefix="tseeder-run-")
os.environ["XDG_RUNTIME_DIR"] = RUNTIME_DIR
atexit.register(shutil.rmtree, CLI_CONFIG_HOME, True)
atexit.register(shutil.rmtree, RUNTIME_DIR, True)
PYTHON = "/usr/bin/python3"


def free_port():
    """A port of 127.0.0.1 nothing listens on once this returns (for a daemon to take, or to stay shut)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    """Polls `predicate` until truthy; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out after %.0fs waiting for %s" % (timeout, what))


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tree_digests(root):
    """{path relative to root: sha256} for every file under root."""
    out = {}
    for base, _dirs, names in os.walk(root):
        for n in names:
            full = os.path.join(base, n)
            out[os.path.relpath(full, root)] = sha256_file(full)
    return out


def make_random_file(path, size):
    """Deterministic pseudo-random content, so failures reproduce."""
    seed = hashlib.sha256(os.path.basename(path).encode()).digest()
    block = b""
    while len(block) < (1 << 20):
        seed = hashlib.sha256(seed).digest()
        block += seed * 64
    with open(path, "wb") as f:
        left = size
        i = 0
        while left > 0:
            n = min(left, len(block))
            # Rotate the block so no 1 MiB chunk repeats the previous one.
            chunk = block[i % 997:] + block[:i % 997]
            f.write(chunk[:n])
            left -= n
            i += 1


class HttpServer:
    def __init__(self, root, rate=0, tls=None, host="127.0.0.1", prefix=(), port=0):
        self.root = root
        fd, self.port_file = tempfile.mkstemp(prefix="port-", dir=root + "/..")
        os.close(fd)
        os.unlink(self.port_file)
        self.host = host
        args = list(prefix) + [PYTHON, HTTP_SERVER, "--root", root, "--port-file", self.port_file, "--host", host,
                               "--port", str(port)]
        if rate:
            args += ["--rate", str(rate)]
        self.scheme = "http"
        if tls:
            args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
            self.scheme = "https"
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.port_file), 15, "the test HTTP server")
        with open(self.port_file) as f:
            self.port = int(f.read().strip())

    def url(self, path):
        return "%s://%s:%d/%s" % (self.scheme, self.host, self.port, path.lstrip("/"))

    def stats(self):
        """What the server has sent so far: body bytes and the Range header of each request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", "/__stats")
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over the daemon's Unix socket (where root is the operator)."""

    def __init__(self, path, timeout=30):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class SmtpSink:
    """aiosmtpd on 127.0.0.1; every delivered message is a file under DIR/new/."""

    def __init__(self, root):
        self.dir = os.path.join(root, "mail")
        self.port_file = os.path.join(root, "smtp.port")
        self.proc = subprocess.Popen([PYTHON, SMTP_SINK, "--dir", self.dir, "--port-file", self.port_file],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.port_file), 15, "the SMTP sink")
        with open(self.port_file) as f:
            self.port = int(f.read().strip())

    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def messages(self):
        new = os.path.join(self.dir, "new")
        out = []
        # In delivery order: maildir names need not sort by time within a second.
        names = os.listdir(new) if os.path.isdir(new) else []
        for name in sorted(names, key=lambda n: (os.stat(os.path.join(new, n)).st_mtime_ns, n)):
            with open(os.path.join(new, name), "rb") as f:
                out.append(email.message_from_bytes(f.read()))
        return out

    def wait_for_mail(self, to, subject_part, count=1, timeout=20):
        def found():
            hits = [m for m in self.messages() if m["To"] == to and subject_part in m["Subject"]]
            return hits if len(hits) >= count else None
        return wait_for(found, timeout, "mail '%s' to %s" % (subject_part, to))[count - 1]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)


class Daemon:
    """One tseederd process on 127.0.0.1:0 and a Unix socket in its data dir."""

    def __init__(self, data_dir, plugin_dir=None, extra_args=(), config=None, allow_private_urls=True, prefix=()):
        self.data_dir = data_dir
        # A command prefix such as nsenter: then TCP is out of reach and calls use the socket.
        self.prefix = list(prefix)
        # The test servers live on loopback; the SSRF tests turn this off.
        self.allow_private_urls = allow_private_urls
        self.plugin_dir = plugin_dir or PLUGIN_DIR
        self.extra_args = list(extra_args)
        self.config = config
        self.proc = None
        self.url = None
        self.socket = os.path.join(data_dir, "tseederd.sock")
        self.api_key = None  # the operator's key for TCP calls, made over the socket at first start
        self.log_path = os.path.join(data_dir, "..", os.path.basename(data_dir) + ".log")
        self.listen = "127.0.0.1:0"  # a test that restarts it and needs the same address sets the port
        self.open_files = None  # the daemon's open-file limit (ulimit -n); None: inherited

    def start(self, timeout=20):
        os.makedirs(self.data_dir, exist_ok=True)
        ready = os.path.join(self.data_dir, "..", os.path.basename(self.data_dir) + ".ready")
        if os.path.exists(ready):
            os.unlink(ready)
        args = self.prefix + [TSEEDERD, "--data-dir", self.data_dir, "--listen", self.listen, "--socket", self.socket,
                "--plugin-dir", self.plugin_dir, "--ready-file", ready] + self.extra_args
        if self.allow_private_urls:
            args.append("--allow-private-urls")
        if self.config:
            args += ["--config", self.config]
        self.log = open(self.log_path, "ab")
        limit = self.open_files
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.log, preexec_fn=(
            (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))) if limit else None))

        def is_ready():
            if self.proc.poll() is not None:
                raise AssertionError("tseederd exited with %s; log:\n%s" % (self.proc.returncode, self.read_log()))
            return os.path.exists(ready)

        wait_for(is_ready, timeout, "tseederd to listen")
        with open(ready) as f:
            info = json.load(f)
        self.ready_info = info
        self.url = info["url"]
        if self.api_key is None:
            r = self.socket_request("POST", "/auth/api-keys", {"name": "tests"})
            if r.status != 201:
                raise AssertionError("could not make the test API key: %d %s" % (r.status, r.body))
            self.api_key = r.json()["key"]
        return self

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")[-4000:]
        except OSError:
            return ""

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.log.close()

    def stop(self, timeout=10):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
                raise AssertionError("tseederd did not stop within %ds of SIGTERM" % timeout)
        if self.proc and not self.log.closed:
            self.log.close()
        return self.proc.returncode if self.proc else None

    # ---- HTTP ----
    def request(self, method, path, body=None, headers=None, timeout=30, raw_body=None, auth=True):
        """Over TCP, as the operator's API key unless `auth` is False or headers bring their own."""
        if self.prefix:
            return self.socket_request(method, path, body, headers, timeout)
        u = urllib.parse.urlsplit(self.url)
        return self._send(http.client.HTTPConnection(u.hostname, u.port, timeout=timeout), method, path, body,
                          headers, raw_body, auth)

    def socket_request(self, method, path, body=None, headers=None, timeout=30):
        return self._send(UnixHTTPConnection(self.socket, timeout=timeout), method, path, body, headers, None, False)

    def _send(self, conn, method, path, body, headers, raw_body, auth):
        hdrs = dict(headers or {})
        if auth and self.api_key and not any(k.lower() in ("authorization", "cookie") for k in hdrs):
            hdrs["Authorization"] = "Bearer " + self.api_key
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        if data is None and method in ("POST", "PUT", "PATCH"):
            data = b""
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            return Response(resp.status, dict(resp.getheaders()), resp.read())
        finally:
            conn.close()

    def api(self, method, path, body=None, expect=None):
        r = self.request(method, path, body)
        if expect is not None and r.status != expect:
            raise AssertionError("%s %s: expected %d, got %d: %s" % (method, path, expect, r.status, r.body[:300]))
        return r.json() if r.body else None

    def job(self, job_id):
        return self.api("GET", "/jobs/" + job_id, expect=200)

    def wait_status(self, job_id, statuses, timeout=60):
        statuses = set([statuses] if isinstance(statuses, str) else statuses)
        return wait_for(lambda: (lambda j: j if j["status"] in statuses else None)(self.job(job_id)), timeout,
                        "job %s to reach %s" % (job_id, "/".join(sorted(statuses))))

    def wait_downloaded(self, job_id, min_bytes, timeout=60):
        """Waits until the job is downloading and has at least `min_bytes` (0: any byte) done."""
        def enough():
            j = self.job(job_id)
            done = j["progress"]["bytesDone"]
            return j["status"] == "downloading" and (done >= min_bytes if min_bytes else done > 0)
        return wait_for(enough, timeout, "job %s to have %d bytes" % (job_id, min_bytes))

    def db_rows(self, sql, params=()):
        """The rows of a query on the daemon's database (it may be running: WAL readers wait)."""
        con = sqlite3.connect(os.path.join(self.data_dir, "tseeder.db"), timeout=5)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def status_field(self, name):
        """A field of /proc/PID/status as a number (kB for memory: VmRSS, VmHWM, …)."""
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
        raise AssertionError("no %s in /proc/%d/status" % (name, self.proc.pid))

    def cpu_seconds(self):
        """User + system CPU time the daemon has used so far."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def db_count(self, table):
        return self.db_rows("SELECT count(*) FROM %s" % table)[0][0]

    def timeline(self, job_id, kind=None):
        """The job's stored events, oldest first, read from the database: [(type, data)], or only
        the data of events of `kind`. Unlike the SSE stream it needs no finished job."""
        rows = [(t, json.loads(d)) for t, d in self.db_rows(
            "SELECT type, data FROM job_events WHERE job_id = ? ORDER BY seq", (job_id,))]
        return rows if kind is None else [d for t, d in rows if t == kind]

    def events(self, job_id, last_event_id=None, timeout=30, arrivals=None, api_key=None):
        """Reads the SSE stream until the server ends it; returns [(id, event, data)]. With a list
        as `arrivals`, the time.monotonic() at which each event arrived is appended to it. Asks
        with `api_key` when given, else with the operator's key."""
        u = urllib.parse.urlsplit(self.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
        headers = {"Accept": "text/event-stream", "Authorization": "Bearer " + (api_key or self.api_key)}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        conn.request("GET", "/jobs/%s/events" % job_id, headers=headers)
        resp = conn.getresponse()
        if resp.status != 200:
            body = resp.read()
            conn.close()
            return resp.status, body
        out, cur = [], {}
        for raw in resp:
            line = raw.decode().rstrip("\r\n")
            if not line:
                if "data" in cur:
                    out.append((int(cur["id"]) if "id" in cur else None, cur.get("event", "message"),
                                json.loads(cur["data"])))
                    if arrivals is not None:
                        arrivals.append(time.monotonic())
                cur = {}
                continue
            if line.startswith(":"):
                continue
            k, _, v = line.partition(":")
            cur[k] = v[1:] if v.startswith(" ") else v
        conn.close()
        return 200, out


def run_cli(*args, timeout=120, env=None, input=None, cwd=None):
    """Runs the tseeder CLI; returns CompletedProcess with text output."""
    e = dict(os.environ)
    e.update(env or {})
    e.setdefault("LC_ALL", "C.UTF-8")
    e.setdefault("XDG_CONFIG_HOME", CLI_CONFIG_HOME)
    e["TZ"] = "UTC"
    return subprocess.run([TSEEDER] + list(args), capture_output=True, text=True, timeout=timeout, env=e,
                          input=input if input is not None else "", cwd=cwd)


class DaemonTest(unittest.TestCase):
    """A temp dir with a www/ root served over HTTP and a tseederd on a data dir."""

    http_rate = 0

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tseeder-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)  # runs last: cleanups are LIFO
        self.www = os.path.join(self.tmp, "www")
        os.makedirs(self.www)
        self.http = HttpServer(self.www, rate=self.http_rate)
        self.addCleanup(self.http.stop)
        self.daemon = Daemon(os.path.join(self.tmp, "var"))
        self.addCleanup(self._stop_daemon)

    def _stop_daemon(self):
        # A clean stop is part of every test: sanitizer reports at exit make the status non-zero.
        if self.daemon.proc is not None and self.daemon.proc.poll() is None:
            rc = self.daemon.stop()
            if rc != 0:
                raise AssertionError("tseederd exited with %s on SIGTERM; log:\n%s" % (rc, self.daemon.read_log()))

    def config_file(self, text, name="tseederd.yaml"):
        """Writes a daemon configuration into the test's temp dir; returns its path."""
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def add_file(self, name, size):
        path = os.path.join(self.www, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        make_random_file(path, size)
        return path

    def cli(self, *args, **kw):
        return run_cli("--socket", self.daemon.socket, *args, **kw)
