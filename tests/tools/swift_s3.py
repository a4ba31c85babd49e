"""An S3-compatible server that really checks signatures: OpenStack Swift with s3api and
tempauth, one node on 127.0.0.1 with free ports, everything under one temp directory.

Access key `test:tester`, secret `testing`, region `us-east-1`, path-style URLs.
Use as a context (`with SwiftS3(root) as s3: s3.endpoint`) or run it as a script:
`swift_s3.py DIR` prints the endpoint on one line and runs until killed.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ACCESS_KEY = "test:tester"
SECRET_KEY = "testing"
REGION = "us-east-1"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# Every server: one process on loopback, reading swift.conf and the rings from swift_dir.
DEFAULTS = """[DEFAULT]
bind_ip = 127.0.0.1
bind_port = {port}
workers = 0
swift_dir = {swift_dir}
log_level = WARNING
"""

SERVER_CONF = DEFAULTS + """devices = {devices}
mount_check = false

[pipeline:main]
pipeline = {kind}-server

[app:{kind}-server]
use = egg:swift#{kind}
"""

PROXY_CONF = DEFAULTS + """
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:s3api]
use = egg:swift#s3api
location = {region}
# Virtual-host style: BUCKET.localhost:PORT (curl resolves *.localhost to loopback).
storage_domain = localhost

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = {secret} .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:{memcached}

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
"""

SWIFT_CONF = """[swift-hash]
swift_hash_path_suffix = tseeder-tests
swift_hash_path_prefix = tseeder-tests
[storage-policy:0]
name = Policy-0
default = yes
"""


class SwiftS3:
    def __init__(self, root):
        self.dir = tempfile.mkdtemp(prefix="swift-", dir=root)
        self.procs = []
        self.endpoint = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self, timeout=60):
        etc = os.path.join(self.dir, "etc")
        devices = os.path.join(self.dir, "devices")
        os.makedirs(os.path.join(devices, "d1"))
        os.makedirs(etc)
        with open(os.path.join(etc, "swift.conf"), "w") as f:
            f.write(SWIFT_CONF)
        log = open(os.path.join(self.dir, "swift.log"), "ab")
        ports = {}
        for kind in ("object", "container", "account"):
            ports[kind] = free_port()
            builder = os.path.join(etc, kind + ".builder")
            for args in (["create", "8", "1", "1"], ["add", "r1z1-127.0.0.1:%d/d1" % ports[kind], "100"],
                         ["rebalance"]):
                r = subprocess.run(["swift-ring-builder", builder] + args, stdout=log, stderr=log)
                if args[0] != "rebalance" and r.returncode != 0:
                    raise RuntimeError("swift-ring-builder %s failed" % " ".join(args))
            conf = os.path.join(etc, kind + "-server.conf")
            with open(conf, "w") as f:
                f.write(SERVER_CONF.format(devices=devices, port=ports[kind], swift_dir=etc, kind=kind))
            self.procs.append(subprocess.Popen(["swift-%s-server" % kind, conf], stdout=log, stderr=log,
                                               start_new_session=True))
        memcached = free_port()
        self.procs.append(subprocess.Popen(["memcached", "-u", "nobody", "-l", "127.0.0.1", "-p", str(memcached),
                                            "-U", "0"], stdout=log, stderr=log, start_new_session=True))
        proxy_port = free_port()
        conf = os.path.join(etc, "proxy-server.conf")
        with open(conf, "w") as f:
            f.write(PROXY_CONF.format(port=proxy_port, swift_dir=etc, region=REGION, secret=SECRET_KEY,
                                      memcached=memcached))
        self.procs.append(subprocess.Popen(["swift-proxy-server", conf], stdout=log, stderr=log,
                                           start_new_session=True))
        self.endpoint = "http://127.0.0.1:%d" % proxy_port
        deadline = time.monotonic() + timeout
        while True:
            for p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError("a Swift process exited (%s); see %s" % (p.args[0], log.name))
            try:
                with urllib.request.urlopen(self.endpoint + "/healthcheck", timeout=2) as r:
                    if r.status == 200 and self._servers_answer(ports):
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("Swift did not come up within %ds" % timeout)
            time.sleep(0.1)

    @staticmethod
    def _servers_answer(ports):
        for port in ports.values():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                return False
        return True

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)
        self.procs = []


if __name__ == "__main__":
    s3 = SwiftS3(sys.argv[1] if len(sys.argv) > 1 else tempfile.gettempdir())
    s3.start()
    print(s3.endpoint, flush=True)
    try:
        signal.sigwait([signal.SIGTERM, signal.SIGINT])
    finally:
        s3.stop()
