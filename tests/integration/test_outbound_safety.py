"""Jobs may not reach loopback, private, link-local or cloud-metadata addresses, nor this
server's own addresses, unless the operator allows it: URL jobs judged on the address each
connection goes to (names that resolve inward and redirects from a public server are refused
like literal addresses), torrents' trackers, web seeds and peers likewise."""
import base64
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import unittest

from harness import PYTHON, Daemon, DaemonTest, HttpServer, make_random_file, wait_for
from test_bittorrent import BT_CONFIG



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


PUBLIC = "203.0.113.5"  # a public address (TEST-NET-3): a server on a host of its own
DAEMON_HOST = "203.0.113.1"  # the daemon's host, joined to it by a veth pair


def network_namespace(test):
    """A network namespace of its own, with loopback up; returns the nsenter prefix."""
    holder = subprocess.Popen(["unshare", "--net", "sleep", "600"])
    test.addCleanup(lambda: (holder.kill(), holder.wait(timeout=10)))
    wait_for(lambda: os.readlink("/proc/%d/ns/net" % holder.pid) != os.readlink("/proc/self/ns/net"), 10,
             "the network namespace")
    ns = ["nsenter", "--net=/proc/%d/ns/net" % holder.pid]
    subprocess.run(ns + ["ip", "link", "set", "lo", "up"], check=True, timeout=10)
    return ns, holder.pid


class RedirectTest(unittest.TestCase):
    """A daemon with an internal server on its host, and a public server on another host."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tseeder-ssrf-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        here, here_pid = network_namespace(self)
        there, there_pid = network_namespace(self)
        a, b = "tsa%d" % here_pid, "tsb%d" % here_pid
        subprocess.run(["ip", "link", "add", a, "type", "veth", "peer", "name", b], check=True, timeout=10)
        for ns, pid, dev, addr in ((here, here_pid, a, DAEMON_HOST), (there, there_pid, b, PUBLIC)):
            subprocess.run(["ip", "link", "set", dev, "netns", str(pid)], check=True, timeout=10)
            subprocess.run(ns + ["ip", "addr", "add", addr + "/24", "dev", dev], check=True, timeout=10)
            subprocess.run(ns + ["ip", "link", "set", dev, "up"], check=True, timeout=10)
        www = os.path.join(self.tmp, "www")
        os.makedirs(www)
        self.file = os.path.join(www, "secret.bin")
        make_random_file(self.file, 4096)
        self.public = HttpServer(www, host=PUBLIC, prefix=there)
        self.addCleanup(self.public.stop)
        self.internal = HttpServer(www, host="127.0.0.1", prefix=here)
        self.addCleanup(self.internal.stop)
        self.own = HttpServer(www, host=DAEMON_HOST, prefix=here)
        self.addCleanup(self.own.stop)
        self.daemon = Daemon(os.path.join(self.tmp, "var"), allow_private_urls=False, prefix=here)
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

    def test_this_servers_own_public_address_is_refused(self):
        r = self.daemon.request("POST", "/jobs", {"url": self.own.url("secret.bin")})
        self.assertEqual(r.status, 400, r.body)
        self.assertIn("this server's own address", r.body.decode())
        job = self.fetch(self.public.url("goto?url=" + self.own.url("secret.bin")))
        self.assertEqual(job["status"], "failed")
        self.assertIn("%s (this server's own address)" % DAEMON_HOST, job["error"])


MAKE_TORRENT = """
import sys, libtorrent as lt
data, web_seed, tracker, out = sys.argv[1:5]
fs = lt.file_storage()
lt.add_files(fs, data)
ct = lt.create_torrent(fs)
ct.add_url_seed(web_seed)
ct.add_tracker(tracker)
lt.set_piece_hashes(ct, data.rsplit("/", 1)[0])
open(out, "wb").write(lt.bencode(ct.generate()))
"""


class Listener:
    """A TCP port on 127.0.0.1 that counts who connects (a tracker or a peer that never answers)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self):
        self.sock.close()


class TorrentGuardTest(DaemonTest):
    """A torrent whose web seed, tracker and peer are all on loopback."""
    allow = False

    def setUp(self):
        super().setUp()
        self.daemon = Daemon(os.path.join(self.tmp, "var"), allow_private_urls=self.allow,
                             config=self.config_file(BT_CONFIG % 0))
        self.daemon.start()
        self.tracker = Listener()
        self.addCleanup(self.tracker.close)
        self.peer = Listener()
        self.addCleanup(self.peer.close)
        data = self.add_file("ws/data.bin", 256 * 1024)
        self.torrent = os.path.join(self.tmp, "t.torrent")
        self.tracker_url = "http://127.0.0.1:%d/announce" % self.tracker.port
        subprocess.run([PYTHON, "-c", MAKE_TORRENT, data, self.http.url("ws/data.bin"), self.tracker_url,
                        self.torrent], check=True, timeout=60)
        with open(self.torrent, "rb") as f:
            self.torrent_b64 = base64.b64encode(f.read()).decode()

    def test_trackers_web_seeds_and_peers_on_loopback_are_refused(self):
        job = self.daemon.api("POST", "/jobs", {"torrent": self.torrent_b64}, expect=201)
        magnet = "magnet:?xt=urn:btih:%s&x.pe=127.0.0.1:%d" % ("ab" * 20, self.peer.port)
        other = self.daemon.api("POST", "/jobs", {"magnet": magnet}, expect=201)
        log = lambda: self.daemon.read_log()
        wait_for(lambda: "refused to connect to the tracker " + self.tracker_url in log(), 30, "the tracker refusal")
        wait_for(lambda: log().count("refused to connect to a peer or web seed at 127.0.0.1") >= 2, 30,
                 "the web seed and peer refusals")
        self.assertEqual(self.http.stats()["bytes_sent"], 0)
        self.assertEqual(self.tracker.connections, 0)
        self.assertEqual(self.peer.connections, 0)
        self.assertEqual(self.daemon.job(job["id"])["progress"]["bytesDone"], 0)
        self.daemon.api("POST", "/jobs/%s/cancel" % other["id"], expect=200)


class TorrentGuardAllowedTest(TorrentGuardTest):
    """The same torrent on a daemon that allows private addresses: the web seed serves it (so
    the test above fails for the guard, not for a broken torrent)."""
    allow = True

    def test_trackers_web_seeds_and_peers_on_loopback_are_refused(self):
        job = self.daemon.api("POST", "/jobs", {"torrent": self.torrent_b64}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=60)
        self.assertEqual(done["status"], "completed", done)
        self.assertGreater(self.http.stats()["bytes_sent"], 0)
        wait_for(lambda: self.tracker.connections > 0, 30, "the announce")


if __name__ == "__main__":
    unittest.main()
