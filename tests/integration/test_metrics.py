"""/metrics: the Prometheus text format, valid for promtool; values move after a download and a
fetch; admins and the socket only on the API, anyone on metrics.listen."""
import re
import shutil
import subprocess
import unittest
import urllib.request

from harness import DaemonTest

PROMTOOL = shutil.which("promtool")
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(text):
    """{(name, frozenset(labels)): value} of every sample."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, "not a sample line: %r" % line
        out[(m.group(1), frozenset(LABEL.findall(m.group(2) or "")))] = float(m.group(3))
    return out


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


class MetricsTest(DaemonTest):
    def setUp(self):
        super().setUp()
        self.daemon.config = self.config_file("scan:\n  enabled: false\nmetrics:\n  listen: 127.0.0.1:0\n")
        self.daemon.start()

    def scrape(self):
        r = self.daemon.socket_request("GET", "/metrics")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8")
        return r.body.decode()

    def promtool(self, text):
        self.assertIsNotNone(PROMTOOL, "promtool is missing: make deps installs Debian's prometheus package")
        p = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_values_move_after_a_download_and_the_text_is_valid(self):
        before = parse(self.scrape())
        self.assertEqual(value(before, "tseeder_downloaded_bytes_total"), 0)
        self.assertGreater(value(before, "process_resident_memory_bytes"), 1e6)
        self.assertGreater(value(before, "process_open_fds"), 3)

        self.add_file("m.bin", 3 * 1024 * 1024 + 17)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("m.bin")}, expect=201)
        self.daemon.wait_status(job["id"], "completed")
        files = self.daemon.api("GET", "/jobs/%s/files" % job["id"], expect=200)["files"]
        r = self.daemon.request("GET", "/jobs/%s/files/%d/content" % (job["id"], files[0]["id"]))
        self.assertEqual(r.status, 200)

        text = self.scrape()
        self.promtool(text)
        after = parse(text)
        size = 3 * 1024 * 1024 + 17
        self.assertEqual(value(after, "tseeder_downloaded_bytes_total"), size)
        self.assertEqual(value(after, "tseeder_served_bytes_total"), size)
        self.assertEqual(value(after, "tseeder_jobs", state="completed", engine="engine-http"), 1)
        self.assertEqual(value(after, "tseeder_storage_bytes", backend="local"), size)
        self.assertEqual(value(after, "tseeder_queue_depth"), 0)
        self.assertEqual(value(after, "tseeder_http_requests_total", route="/jobs", method="POST", code="201"), 1)
        route = "/jobs/{id}/files/{fileId}/content"
        self.assertEqual(value(after, "tseeder_http_request_duration_seconds_count", route=route, method="GET"), 1)
        self.assertEqual(value(after, "tseeder_http_request_duration_seconds_bucket", route=route, method="GET",
                               le="+Inf"), 1)
        # Ids never become labels: the route's template is the label.
        self.assertNotIn(job["id"], text)
        self.assertEqual(value(after, "tseeder_plugin_load_failures"), 0)
        self.assertGreater(value(after, "process_cpu_seconds_total"), 0)

    def test_who_may_read_it(self):
        # Over TCP: no key is refused, an admin key reads it (the matrix test walks the roles).
        r = self.daemon.request("GET", "/metrics", auth=False)
        self.assertEqual(r.status, 401, r.body)
        self.assertEqual(self.daemon.request("GET", "/metrics").status, 200)
        # metrics.listen answers anyone, and nothing but /metrics.
        url = self.daemon.ready_info["metricsUrl"]
        with urllib.request.urlopen(url, timeout=10) as resp:
            text = resp.read().decode()
        self.assertIn("tseeder_build_info", text)
        self.promtool(text)
        base = url[:-len("/metrics")]
        for path in ("/jobs", "/health", "/admin/users"):
            with self.assertRaises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(base + path, timeout=10)
            self.assertEqual(e.exception.code, 404, path)


if __name__ == "__main__":
    unittest.main()
