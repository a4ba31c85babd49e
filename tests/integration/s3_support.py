"""Swift's S3 layer for tests, and rclone (an independent S3 client) to look inside the bucket."""
import json
import os
import subprocess
import sys

from harness import PYTHON, wait_for

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools"))
from swift_s3 import ACCESS_KEY, REGION, SECRET_KEY, SwiftS3  # noqa: E402,F401

FLAKY_PROXY = os.path.join(os.path.dirname(__file__), "..", "tools", "flaky_s3_proxy.py")


def rclone(endpoint, *args, check=True):
    env = {k: v for k, v in os.environ.items() if k != "AWS_CA_BUNDLE"}  # rclone refuses it for http
    env.update({"RCLONE_CONFIG_SW_TYPE": "s3", "RCLONE_CONFIG_SW_PROVIDER": "Other",
                "RCLONE_CONFIG_SW_ACCESS_KEY_ID": ACCESS_KEY, "RCLONE_CONFIG_SW_SECRET_ACCESS_KEY": SECRET_KEY,
                "RCLONE_CONFIG_SW_ENDPOINT": endpoint, "RCLONE_CONFIG_SW_REGION": REGION,
                "RCLONE_CONFIG_SW_FORCE_PATH_STYLE": "true", "RCLONE_CONFIG": "/dev/null"})
    r = subprocess.run(["rclone"] + list(args), env=env, capture_output=True, text=True, timeout=300)
    if check and r.returncode != 0:
        raise AssertionError("rclone %s failed: %s" % (" ".join(args), r.stderr[-2000:]))
    return r


def keys_under(endpoint, bucket, prefix):
    r = rclone(endpoint, "lsf", "-R", "--files-only", "sw:%s/%s" % (bucket, prefix), check=False)
    return sorted(line for line in r.stdout.splitlines() if line)


def pending_uploads(endpoint, bucket):
    r = rclone(endpoint, "backend", "list-multipart-uploads", "sw:" + bucket)
    return [u for uploads in json.loads(r.stdout or "{}").values() for u in (uploads or [])]


class FlakyProxy:
    def __init__(self, root, upstream_port, always=False):
        self.port_file = os.path.join(root, "flaky-%d.port" % upstream_port)
        self.proc = subprocess.Popen([PYTHON, FLAKY_PROXY, str(upstream_port), self.port_file] +
                                     (["always"] if always else []),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.port_file), 15, "the flaky S3 proxy")
        with open(self.port_file) as f:
            self.port = int(f.read())
        self.endpoint = "http://127.0.0.1:%d" % self.port

    def stats(self):
        import urllib.request
        with urllib.request.urlopen(self.endpoint + "/__flaky_stats", timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
