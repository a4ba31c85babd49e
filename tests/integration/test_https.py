"""HTTPS downloads: a certificate from the configured CA is trusted; any other fails at once
(not retried) with a certificate error. The CA and certificates are made by the test."""
import os
import subprocess
import unittest

from harness import DaemonTest, HttpServer, sha256_file


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True, timeout=60)


def make_ca_and_cert(d, prefix):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=%s test CA" % prefix,
            "-keyout", prefix + "-ca.key", "-out", prefix + "-ca.pem", cwd=d)
    with open(os.path.join(d, prefix + ".ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", prefix + ".key",
            "-out", prefix + ".csr", cwd=d)
    openssl("x509", "-req", "-in", prefix + ".csr", "-CA", prefix + "-ca.pem", "-CAkey", prefix + "-ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", prefix + ".ext", "-out", prefix + ".pem", cwd=d)
    return [os.path.join(d, prefix + x) for x in ("-ca.pem", ".pem", ".key")]


class HttpsTest(DaemonTest):
    def test_trusted_ca_downloads_untrusted_fails(self):
        certs = os.path.join(self.tmp, "certs")
        os.makedirs(certs)
        ca, cert, key = make_ca_and_cert(certs, "good")
        _, other_cert, other_key = make_ca_and_cert(certs, "other")
        good = HttpServer(self.www, tls=(cert, key))
        self.addCleanup(good.stop)
        bad = HttpServer(self.www, tls=(other_cert, other_key))
        self.addCleanup(bad.stop)
        cfg = os.path.join(self.tmp, "tls.yaml")
        with open(cfg, "w") as f:
            f.write("engine_http:\n  ca_file: %s\n" % ca)
        self.daemon.config = cfg
        self.daemon.start()
        src = self.add_file("s.bin", 3 * 1024 * 1024 + 7)

        job = self.daemon.api("POST", "/jobs", {"url": good.url("s.bin")}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"])
        self.assertEqual(done["status"], "completed", done)
        r = self.cli("get", job["id"], "-o", os.path.join(self.tmp, "o"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sha256_file(os.path.join(self.tmp, "o", "s.bin")), sha256_file(src))

        job = self.daemon.api("POST", "/jobs", {"url": bad.url("s.bin")}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"])
        self.assertEqual(done["status"], "failed", done)
        self.assertIn("certificate", done["error"].lower())


if __name__ == "__main__":
    unittest.main()
