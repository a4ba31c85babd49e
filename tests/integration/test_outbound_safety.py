"""URL jobs may not reach loopback, private, link-local or cloud-metadata addresses unless the
operator allows it: judged on the address each connection goes to, so names that resolve
inward and redirects from a public server are refused like literal addresses."""
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import Daemon, DaemonTest, HttpServer, make_random_file, wait_for

PUBLIC = "203.0.113.5"  # a public address (TEST-NET-3), on the loopback device of a private netns


class LiteralAndNameTest(DaemonTest):
    def setUp(self):
        super().setUp()
        self.daemon = Daemon(os.path.join(self.tmp, "var"), allow_private_urls=False)
        self.daemon.start()

    def test_internal_literals_are_refused_at_creation(self):
        self.add_file("x.bin", 10)
        port = self.http.port
        for url, why in [("http://127.0.0.1:%d/x.bin" % port, "loopback"), ("http://[::1]:%d/x.bin" % port, "loopback"),
                         ("http://2130706433:%d/x.bin" % port, "loopback"), ("http://10.0.0.8/x", "private"),
                         ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
                         ("http://[fe80::1]/x", "link-local")]:
            r = self.daemon.request("POST", "/jobs", {"url": url})
            self.assertEqual(r.status, 400, url)
            self.assertIn(why, r.body.decode(), url)
            self.assertIn("allow_private_urls", r.body.decode())
        self.assertEqual(self.daemon.db_count("jobs"), 0)

    def test_a_name_that_resolves_to_loopback_is_refused_when_connecting(self):
        self.add_file("y.bin", 10)
        r = self.daemon.request("POST", "/jobs", {"url": "http://localhost:%d/y.bin" % self.http.port})
        self.assertEqual(r.status, 201, r.body)
        job = self.daemon.wait_status(r.json()["id"], ["failed", "completed"], timeout=30)
        self.assertEqual(job["status"], "failed", "no retry for a refused address")
        self.assertIn("refused to connect to", job["error"])
        self.assertIn("(loopback)", job["error"])
        self.assertEqual(self.http.stats()["bytes_sent"], 0)


class RedirectTest(unittest.TestCase):
    """A daemon, a public server and an internal one in a network namespace of their own."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tseeder-ssrf-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        holder = subprocess.Popen(["unshare", "--net", "sleep", "600"])
        self.addCleanup(lambda: (holder.kill(), holder.wait(timeout=10)))
        ns = ["nsenter", "--net=/proc/%d/ns/net" % holder.pid]
        wait_for(lambda: os.readlink("/proc/%d/ns/net" % holder.pid) != os.readlink("/proc/self/ns/net"), 10,
                 "the network namespace")
        for cmd in (["ip", "link", "set", "lo", "up"], ["ip", "addr", "add", PUBLIC + "/32", "dev", "lo"]):
            subprocess.run(ns + cmd, check=True, timeout=10)
        www = os.path.join(self.tmp, "www")
        os.makedirs(www)
        self.file = os.path.join(www, "secret.bin")
        make_random_file(self.file, 4096)
        self.public = HttpServer(www, host=PUBLIC, prefix=ns)
        self.addCleanup(self.public.stop)
        self.internal = HttpServer(www, host="127.0.0.1", prefix=ns)
        self.addCleanup(self.internal.stop)
        self.daemon = Daemon(os.path.join(self.tmp, "var"), allow_private_urls=False, prefix=ns)
        self.daemon.start()
        self.addCleanup(self.daemon.stop)

    def fetch(self, url):
        r = self.daemon.request("POST", "/jobs", {"url": url})
        self.assertEqual(r.status, 201, r.body)
        return self.daemon.wait_status(r.json()["id"], ["failed", "completed"], timeout=30)

    def test_public_servers_work_and_their_redirects_inward_are_refused(self):
        job = self.fetch(self.public.url("secret.bin"))
        self.assertEqual(job["status"], "completed", job.get("error"))

        inward = self.public.url("goto?url=http://127.0.0.1:%d/secret.bin" % self.internal.port)
        job = self.fetch(inward)
        self.assertEqual(job["status"], "failed")
        self.assertIn("refused to connect to 127.0.0.1 (loopback)", job["error"])

        job = self.fetch(self.public.url("goto?url=http://169.254.169.254/latest/meta-data/"))
        self.assertEqual(job["status"], "failed")
        self.assertIn("169.254.169.254 (cloud metadata)", job["error"])


if __name__ == "__main__":
    unittest.main()
