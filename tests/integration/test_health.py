"""GET /admin/health and `tseeder admin health`: each part checked with a status and a reason, the
worst one the whole's; exit 0 healthy, 10 degraded, 11 down; --watch redraws."""
import json
import subprocess
import unittest

from harness import DaemonTest, SmtpSink, TSEEDER, free_port

HEALTHY = "scan:\n  enabled: false\n"



class HealthTest(DaemonTest):
    def start_with(self, text):
        self.daemon.config = self.config_file(text)
        self.daemon.start()

    def health(self):
        r = self.daemon.socket_request("GET", "/admin/health")
        self.assertEqual(r.status, 200, r.body)
        h = r.json()
        return h, {c["name"]: c for c in h["checks"]}

    def cli_health(self, *args):
        return self.cli("admin", "health", *args, timeout=60)

    def test_a_healthy_daemon(self):
        smtp = SmtpSink(self.tmp)
        self.addCleanup(smtp.stop)
        self.start_with(HEALTHY + "smtp:\n  url: %s\n" % smtp.url())
        h, checks = self.health()
        self.assertEqual(h["status"], "ok", json.dumps(h, indent=1))
        self.assertEqual(sorted(checks), ["dead_letters", "disk:data", "disk:downloads", "disk:storage", "plugins",
                                          "queue", "scanner", "smtp", "storage", "store"])
        self.assertRegex(checks["store"]["reason"], r"^quick_check ok; log .* \(\d+ ms\)$")
        self.assertIn("walBytes", checks["store"]["detail"])
        self.assertGreater(checks["disk:data"]["detail"]["freeBytes"], 0)
        self.assertEqual(checks["queue"]["reason"], "no job waits")
        self.assertIn("engine-http", checks["plugins"]["detail"]["loaded"])
        self.assertEqual(checks["smtp"]["reason"], "the mail server greets and takes the sign-in")
        self.assertEqual(checks["storage"]["reason"], "local is a writable directory")
        self.assertEqual(smtp.messages(), [])  # a probe sends no mail
        for c in h["checks"]:
            self.assertTrue(c["reason"], c)
            self.assertGreaterEqual(c["ms"], 0)
        self.assertGreaterEqual(h["uptimeSeconds"], 0)
        self.assertEqual(h["role"], "both")

        r = self.cli_health()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"^tseeder \S+ \(both\), up \S+: ok\n")
        self.assertRegex(r.stdout, r"(?m)^store\s+ok\s+")

    def test_degraded_mail_and_disk(self):
        # No mail server where the config says, and a reserve no disk here has free.
        self.start_with(HEALTHY + "smtp:\n  url: smtp://127.0.0.1:%d\ndownloads:\n  reserve_mib: %d\n"
                        % (free_port(), 1 << 24))
        h, checks = self.health()
        self.assertEqual(h["status"], "degraded", json.dumps(h, indent=1))
        self.assertEqual(checks["smtp"]["status"], "degraded")
        self.assertIn("the mail server did not take a sign-in", checks["smtp"]["reason"])
        self.assertEqual(checks["disk:downloads"]["status"], "degraded")
        self.assertIn("new downloads wait for space", checks["disk:downloads"]["reason"])
        self.assertEqual(checks["store"]["status"], "ok")
        r = self.cli_health()
        self.assertEqual(r.returncode, 10, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"(?m)^smtp\s+degraded\s+")

    def test_down_when_the_storage_backend_cannot_be_reached(self):
        self.start_with(HEALTHY + "storage:\n  backend: s3\n  s3:\n    endpoint: http://127.0.0.1:%d\n"
                        "    bucket: b\n    access_key: AKIDEXAMPLE\n    secret_key: not-a-real-secret\n"
                        "    max_attempts: 1\n" % free_port())
        h, checks = self.health()
        self.assertEqual(h["status"], "down", json.dumps(h, indent=1))
        self.assertEqual(checks["storage"]["status"], "down")
        self.assertIn("ListObjectsV2 of bucket b", checks["storage"]["reason"])
        self.assertNotIn("disk:storage", checks)
        self.assertNotIn("not-a-real-secret", json.dumps(h))
        r = self.cli_health("--json")
        self.assertEqual(r.returncode, 11, r.stdout + r.stderr)
        self.assertEqual(json.loads(r.stdout)["status"], "down")

    def test_watch_redraws_until_stopped(self):
        self.start_with(HEALTHY)
        p = subprocess.Popen([TSEEDER, "--socket", self.daemon.socket, "admin", "health", "--watch", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            out, _ = p.communicate(timeout=4.5)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
        self.assertGreaterEqual(out.count("tseeder "), 2, out)  # once at once, again each second


if __name__ == "__main__":
    unittest.main()
