"""The loopback fake of Seedr.cc (tests/tools/fake_seedr.py) and a daemon whose torrent jobs go to
it: engine-seedr loaded, the `seedr` provider active."""
import hashlib
import http.client
import json
import os
import secrets
import subprocess
import tempfile
import urllib.parse
import urllib.request

from accounts_support import AccountsCase
from harness import DaemonTest, PYTHON, make_random_file, wait_for

FAKE_SEEDR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "fake_seedr.py")


class FakeSeedr:
    def __init__(self, root, email="operator@example.com", password="right-password"):
        fd, port_file = tempfile.mkstemp(prefix="seedr-port-", dir=root)
        os.close(fd)
        os.unlink(port_file)
        self.proc = subprocess.Popen([PYTHON, FAKE_SEEDR, "--port-file", port_file, "--email", email, "--password",
                                      password], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(port_file), 15, "the fake Seedr service")
        with open(port_file) as f:
            self.port = int(f.read())
        self.url = "http://127.0.0.1:%d" % self.port

    def _call(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, json.dumps(body) if body is not None else None,
                         {"Content-Type": "application/json"})
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()

    def control(self, **body):
        return self._call("POST", "/_control", body)

    def knobs(self, **knobs):
        return self.control(set=knobs)

    def stats(self):
        return self._call("GET", "/_stats")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


class Content:
    """Files on disk the fake 'downloads' for one infohash: paths as the service lists them."""

    def __init__(self, root, name, files, remote_paths=None):
        self.hash = secrets.token_hex(20)
        self.name = name
        self.files = {}  # remote path -> local file
        for i, (path, size) in enumerate(files):
            disk = os.path.join(root, self.hash, "%d.bin" % i)
            os.makedirs(os.path.dirname(disk), exist_ok=True)
            make_random_file(disk, size)
            self.files[(remote_paths or {}).get(path, path)] = disk

    @property
    def magnet(self):
        return "magnet:?xt=urn:btih:%s&dn=%s" % (self.hash, urllib.parse.quote(self.name))

    def register(self, seedr, duration_s=0.5):
        seedr.control(content={"hash": self.hash, "name": self.name, "duration_s": duration_s,
                               "files": [{"path": p, "disk": d} for p, d in self.files.items()]})
        return self

    def digest(self, remote_path):
        with open(self.files[remote_path], "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()


def bencode(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, dict):
        return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"
    raise TypeError(v)


def torrent_file(path, name, length):
    """A single-file .torrent (its pieces are never checked: the service downloads it); returns
    its v1 infohash."""
    info = {"name": name, "length": length, "piece length": 262144, "pieces": b"\0" * 20 * (length // 262144 + 1)}
    with open(path, "wb") as f:
        f.write(bencode({"announce": "http://127.0.0.1:9/announce", "info": info}))
    return hashlib.sha1(bencode(info)).hexdigest()


def signed_url(seedr, content):
    """A signed file URL of the content's first file, got as a client of the service would."""
    def post(path, form):
        return json.load(urllib.request.urlopen(urllib.request.Request(
            seedr.url + path, data=urllib.parse.urlencode(form).encode()), timeout=10))
    tok = post("/oauth_test/token.php", {"grant_type": "password", "client_id": "seedr_chrome", "type": "login",
                                         "username": "operator@example.com", "password": "right-password"})

    def res(func, form):
        return post("/oauth_test/resource.php?access_token=%s&func=%s" % (tok["access_token"], func), form)
    res("add_torrent", {"magnet": content.magnet})
    wait_for(lambda: [f for f in res("list_contents", {"content_id": "0"})["folders"] if f["name"] == content.name],
             20, "the fake's folder")
    folder = [f for f in res("list_contents", {"content_id": "0"})["folders"] if f["name"] == content.name][0]
    first = res("list_contents", {"content_id": str(folder["id"])})["files"][0]
    return res("fetch_file", {"folder_file_id": str(first["folder_file_id"])})["url"]


class SeedrTest(DaemonTest):
    """A daemon with the fake as its Seedr account, the `seedr` provider switched on."""

    add_user = AccountsCase.add_user
    login = AccountsCase.login
    api_key_for = AccountsCase.api_key_for
    as_key = AccountsCase.as_key

    seedr_config = ""  # more YAML under `seedr:`
    credentials = True

    def setUp(self):
        super().setUp()
        self.seedr = FakeSeedr(self.tmp)
        self.addCleanup(self.seedr.stop)
        self.content_root = os.path.join(self.tmp, "content")
        self.daemon.config = self.config_file(self.daemon_config())
        self.daemon.start()
        self.switch("seedr")

    def daemon_config(self):
        creds = "  email: operator@example.com\n  password: right-password\n" if self.credentials else ""
        return ("seedr:\n  base_url: %s\n%s  poll_interval_ms: 100\n  retry_base_ms: 50\n%s"
                "jobs:\n  progress_interval_ms: 200\n" % (self.seedr.url, creds, self.seedr_config))

    def switch(self, provider):
        r = self.cli("admin", "provider", "switch", provider, "--reason", "tests use the fake service",
                     "--ticket", "T-1")
        self.assertEqual(r.returncode, 0, r.stderr)

    def content(self, name, files, duration_s=0.5, remote_paths=None):
        return Content(self.content_root, name, files, remote_paths).register(self.seedr, duration_s)

    def ended(self, job_id, timeout=60):
        return self.daemon.wait_status(job_id, ["completed", "failed", "cancelled"], timeout=timeout)

    def work_dir(self, job_id):
        return os.path.join(self.daemon.data_dir, "downloads", job_id)

    def stored_digests(self, job_id):
        """SHA-256 of each stored file's content, fetched over the API, by its path in the job."""
        out = {}
        for f in self.daemon.api("GET", "/jobs/%s/files" % job_id, expect=200)["files"]:
            if f["id"] is None:
                continue
            r = self.daemon.request("GET", "/jobs/%s/files/%d/content" % (job_id, f["id"]))
            if r.status == 200:
                out[f["path"]] = hashlib.sha256(r.body).hexdigest()
        return out
