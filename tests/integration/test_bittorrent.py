"""BitTorrent through engine-libtorrent, against a python3-libtorrent seeder on 127.0.0.1:
magnet links and .torrent uploads, every byte verified; bad magnets and torrents refused."""
import base64
import json
import time
import os
import socket
import subprocess
import unittest

from harness import DaemonTest, PYTHON, free_port, sha256_file, wait_for

SEEDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "bt_seeder.py")
BT_CONFIG = """engine_torrent:
  listen_interfaces: "127.0.0.1:%d"
  dht: false
  lsd: false
  upnp: false
  natpmp: false
  allow_multiple_connections_per_ip: true
"""



class Tracker:
    """opentracker on 127.0.0.1. Debian builds it with a whitelist of infohashes, and as root it
    chroots into -d, so the whitelist is named relative to that directory."""

    def __init__(self, directory, whitelist_name, port):
        self.proc = subprocess.Popen(["opentracker", "-i", "127.0.0.1", "-p", str(port), "-P", str(port),
                                      "-d", directory, "-w", whitelist_name],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def up():
            if self.proc.poll() is not None:
                raise AssertionError("opentracker exited with %s (port %d taken?)" % (self.proc.returncode, port))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return True
            except OSError:
                return False

        wait_for(up, 10, "opentracker")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


class Seeder:
    def __init__(self, content, workdir, version="v1", tracker=None, upload_limit=0, private=False):
        os.makedirs(workdir, exist_ok=True)
        self.torrent = os.path.join(workdir, "t.torrent")
        self.magnet_file = os.path.join(workdir, "magnet")
        port_file = os.path.join(workdir, "port")
        self.stats_file = os.path.join(workdir, "stats.json")
        self.proc = subprocess.Popen([PYTHON, SEEDER, "--content", content, "--torrent-out", self.torrent,
                                      "--magnet-out", self.magnet_file, "--port-file", port_file,
                                      "--version", version, "--upload-limit", str(upload_limit),
                                      "--stats-file", self.stats_file] + (["--tracker", tracker] if tracker else [])
                                     + (["--private"] if private else []),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(lambda: os.path.exists(port_file) or self.proc.poll() is not None, 60, "the seeder")
        if self.proc.poll() is not None:
            raise AssertionError("seeder failed: " + self.proc.stderr.read().decode())
        with open(self.magnet_file) as f:
            self.magnet = f.read().strip()
        with open(port_file) as f:
            self.port = int(f.read())

    def stats(self):
        with open(self.stats_file) as f:
            return json.load(f)

    def torrent_b64(self):
        with open(self.torrent, "rb") as f:
            return base64.b64encode(f.read()).decode()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        self.proc.stderr.close()


def seed_with_tracker(test, content, private=False):
    """A seeder whose .torrent names an opentracker on loopback. A .torrent names no peers,
    its tracker does: make the torrent to learn its infohash, whitelist it, start the tracker,
    then seed (same content, same infohash). Everything stops with `test`."""
    made = os.path.join(test.tmp, "made-" + os.path.basename(content))
    os.makedirs(made)
    whitelist = os.path.join(made, "whitelist")
    port = free_port()  # the tracker's URL goes into the torrent, so its port is chosen first
    url = "http://127.0.0.1:%d/announce" % port
    subprocess.run([PYTHON, SEEDER, "--content", content, "--torrent-out", os.path.join(made, "t.torrent"),
                    "--magnet-out", whitelist, "--port-file", os.path.join(made, "unused"), "--tracker", url,
                    "--make-only"] + (["--private"] if private else []), check=True, timeout=120)
    tracker = Tracker(made, "whitelist", port)
    test.addCleanup(tracker.stop)
    s = Seeder(content, os.path.join(test.tmp, "seed-" + os.path.basename(content)), tracker=url, private=private)
    test.addCleanup(s.stop)
    return s


class BitTorrentCase(DaemonTest):
    """A daemon set up for BitTorrent on loopback, and helpers; no tests of its own."""
    extra_config = ""  # more engine_torrent keys, indented by two spaces
    top_config = ""  # more top-level sections
    bt_port = 0  # the daemon's BitTorrent port; 0: any free one

    def setUp(self):
        super().setUp()
        cfg = os.path.join(self.tmp, "bt.yaml")
        with open(cfg, "w") as f:
            f.write(self.top_config + BT_CONFIG % self.bt_port + self.extra_config)
        self.daemon.config = cfg
        self.daemon.start()

    def seed(self, content, version="v1", tracker=None, upload_limit=0):
        s = Seeder(content, os.path.join(self.tmp, "seed-" + os.path.basename(content)), version, tracker,
                   upload_limit)
        self.addCleanup(s.stop)
        return s

    def seed_with_tracker(self, content):
        return seed_with_tracker(self, content)

    def fetch_and_compare(self, job_id, source_root):
        out = os.path.join(self.tmp, "out-" + job_id)
        r = self.cli("get", job_id, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        expected = {}
        base = os.path.dirname(source_root)
        for root, _dirs, names in os.walk(source_root) if os.path.isdir(source_root) else [(base, [], [os.path.basename(source_root)])]:
            for n in names:
                full = os.path.join(root, n)
                expected[os.path.relpath(full, base)] = sha256_file(full)
        got = {}
        for root, _dirs, names in os.walk(out):
            for n in names:
                full = os.path.join(root, n)
                got[os.path.relpath(full, out)] = sha256_file(full)
        self.assertEqual(got, expected)



class BitTorrentTest(BitTorrentCase):
    def test_magnet_single_file(self):
        src = self.add_file("content/single.bin", 24 * 1024 * 1024 + 123)
        seeder = self.seed(src)
        r = self.cli("add", seeder.magnet, "--wait", timeout=180)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("metadata single.bin", r.stdout)
        job_id = r.stdout.split()[1]
        job = self.daemon.job(job_id)
        self.assertEqual(job["sourceKind"], "magnet")
        self.assertEqual(job["infohash"], seeder.magnet.split("btih:")[1].split("&")[0])
        self.fetch_and_compare(job_id, src)
        # Adding the same magnet again gives the same job back.
        again = self.daemon.request("POST", "/jobs", body={"magnet": seeder.magnet})
        self.assertEqual((again.status, again.json()["id"]), (200, job_id))

    def test_torrent_upload_many_files(self):
        root = os.path.join(self.www, "album")
        for i in range(60):
            self.add_file("album/disc%d/track%02d.bin" % (i % 3, i), 1000 + i * 3001)
        seeder = self.seed_with_tracker(root)
        job = self.daemon.api("POST", "/jobs", {"torrent": seeder.torrent_b64()}, expect=201)
        self.assertEqual(job["sourceKind"], "torrent")
        self.assertEqual(job["name"], "album")
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=120)
        self.assertEqual(done["status"], "completed", done)
        files = self.daemon.api("GET", "/jobs/%s/files" % job["id"], expect=200)["files"]
        self.assertEqual(len(files), 60)
        self.fetch_and_compare(job["id"], root)
        # The uploaded .torrent goes with the job.
        self.assertEqual(self.cli("rm", job["id"]).returncode, 0)
        self.assertEqual(os.listdir(os.path.join(self.daemon.data_dir, "torrents")), [])

    def test_bad_magnets_and_torrents_create_nothing(self):
        src = self.add_file("content/good.bin", 300 * 1024)
        with open(self.seed(src).torrent, "rb") as f:
            good = f.read()
        before = self.daemon.db_count("jobs")
        for raw, why in ((good[:len(good) // 2], "truncated"), (good[:-1], "truncated"),
                         (good + b" " * (4 * 1024 * 1024), "larger than 4 MiB")):
            with self.subTest(why=why):
                r = self.daemon.request("POST", "/jobs", body={"torrent": base64.b64encode(raw).decode()})
                self.assertEqual(r.status, 400, r.body)
                self.assertIn(why, r.json()["error"]["message"])
                self.assertNotIn("engine-http", r.json()["error"]["message"])  # only the engine that knows
        for body in ({"magnet": "magnet:?xt=urn:btih:zzzz"}, {"magnet": "magnet:?dn=no-hash"},
                     {"magnet": "http://not-a-magnet"}, {"torrent": "not base64!"},
                     {"torrent": base64.b64encode(b"d4:infoi1ee").decode()},
                     {"torrent": base64.b64encode(b"garbage").decode()},
                     {"torrent": base64.b64encode(b"d8:announce3:abc4:infod4:name1:x12:piece lengthi16384e"
                                                  b"6:pieces20:" + b"a" * 20).decode()},
                     {"magnet": "magnet:?xt=urn:btih:" + "a" * 40, "url": "http://x/"}):
            with self.subTest(body=str(body)[:60]):
                r = self.daemon.request("POST", "/jobs", body=body)
                self.assertEqual(r.status, 400, r.body)
                self.assertTrue(r.json()["error"]["message"])
        self.assertEqual(self.daemon.db_count("jobs"), before)
        torrents = os.path.join(self.daemon.data_dir, "torrents")
        self.assertEqual(os.listdir(torrents) if os.path.isdir(torrents) else [], [])

    def test_sigkill_at_half_then_restart_downloads_little_again(self):
        size = 48 * 1024 * 1024
        src = self.add_file("content/crash.bin", size)
        seeder = self.seed(src, upload_limit=8 * 1024 * 1024)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.daemon.wait_downloaded(job["id"], size * 0.45, timeout=90)
        self.daemon.kill9()
        self.daemon.start()
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=120)
        self.assertEqual(done["status"], "completed", done)
        finished_at = time.time()
        # The seeder's count is refreshed every 0.2 s; wait for a reading taken after completion.
        stats = wait_for(lambda: (lambda st: st if st["at"] > finished_at else None)(seeder.stats()), 10,
                         "a fresh seeder count")
        self.assertLess(stats["uploaded"], size * 1.10, stats)
        self.fetch_and_compare(job["id"], src)

    def test_pause_resume_and_cancel_a_torrent(self):
        src = self.add_file("content/pr.bin", 8 * 1024 * 1024)
        seeder = self.seed(src)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.daemon.wait_status(job["id"], ["downloading", "completed"], timeout=60)
        r = self.daemon.request("POST", "/jobs/%s/pause" % job["id"])
        if r.status == 200:  # it may already be done on a fast machine
            self.assertEqual(r.json()["status"], "paused")
            self.assertEqual(self.daemon.api("POST", "/jobs/%s/resume" % job["id"], expect=200)["status"], "queued")
        self.daemon.wait_status(job["id"], "completed", timeout=120)
        self.fetch_and_compare(job["id"], src)


if __name__ == "__main__":
    unittest.main()
