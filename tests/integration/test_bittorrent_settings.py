"""The BitTorrent settings of the YAML config at work: global rate limits, encryption, PEX,
connection limits, outgoing interface, peer receive buffers, a SOCKS5 proxy, and the seeding
policy (time and ratio)."""
import json
import os
import re
import subprocess
import time
import unittest

from harness import Daemon, PYTHON, free_port, wait_for
from test_bittorrent import BitTorrentCase

MiB = 1024 * 1024
PROXY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "socks5_proxy.py")


def stored_events(daemon, job_id):
    _status, events = daemon.events(job_id)
    return {event: data for _id, event, data in events}


def receive_buffers(pid, peer_port):
    """SO_RCVBUF as the kernel holds it (twice what was asked) of PID's connections to PEER_PORT."""
    out = subprocess.run(["ss", "-tmnpH", "state", "established", "( dport = :%d )" % peer_port],
                         capture_output=True, text=True, timeout=10).stdout
    return [int(m.group(2)) for m in re.finditer(r"pid=(\d+),.*?\n\s*skmem:\(r\d+,rb(\d+)", out)
            if int(m.group(1)) == pid]


class GlobalSettingsTest(BitTorrentCase):
    limit = 2 * MiB
    extra_config = """  download_rate_limit: %d
  encryption: forced
  pex: false
  connections_limit: 50
  peers_per_torrent: 10
  outgoing_interfaces: "127.0.0.1"
  receive_buffer_kib: 128
""" % limit

    def test_global_rate_limit_with_forced_encryption_and_bound_interface(self):
        size = 12 * MiB
        src = self.add_file("content/global.bin", size)
        seeder = self.seed(src)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        self.daemon.wait_downloaded(job["id"], 1, timeout=60)
        buffers = wait_for(lambda: receive_buffers(self.daemon.proc.pid, seeder.port), 10, "the peer connection")
        self.assertEqual(buffers, [2 * 128 * 1024])
        start_bytes, start = self.daemon.job(job["id"])["progress"]["bytesDone"], time.monotonic()
        time.sleep(2)  # an interval to measure a rate over; the bound scales with its real length
        got = self.daemon.job(job["id"])["progress"]["bytesDone"] - start_bytes
        self.assertLess(got, self.limit * (time.monotonic() - start + 2))
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=60)
        self.assertEqual(done["status"], "completed", done)
        self.fetch_and_compare(job["id"], src)


class ProxyTest(BitTorrentCase):
    def setUp(self):
        self.proxy_dir = os.path.join("/tmp", "tseeder-proxy-%d" % os.getpid())
        os.makedirs(self.proxy_dir, exist_ok=True)
        port_file = os.path.join(self.proxy_dir, "port")
        self.stats_file = os.path.join(self.proxy_dir, "stats.json")
        self.proxy = subprocess.Popen([PYTHON, PROXY, "--port-file", port_file, "--stats-file", self.stats_file])
        self.addCleanup(lambda: (self.proxy.kill(), self.proxy.wait(timeout=10)))
        wait_for(lambda: os.path.exists(port_file), 10, "the SOCKS5 proxy")
        with open(port_file) as f:
            self.extra_config = '  proxy: "socks5://127.0.0.1:%s"\n' % f.read().strip()
        super().setUp()

    def test_peer_connections_go_through_the_proxy(self):
        src = self.add_file("content/proxied.bin", 3 * MiB + 7)
        seeder = self.seed(src)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=90)
        self.assertEqual(done["status"], "completed", done)
        self.fetch_and_compare(job["id"], src)
        with open(self.stats_file) as f:
            connects = json.load(f)["connects"]
        peer = seeder.magnet.split("x.pe=")[1].split("&")[0]
        self.assertIn(peer, connects)


class SeedingTimeTest(BitTorrentCase):
    extra_config = "  seed_time_limit_s: 2\n"

    def test_seeds_for_the_configured_time_then_lets_go(self):
        src = self.add_file("content/seedtime.bin", 2 * MiB)
        seeder = self.seed(src)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=90)
        self.assertEqual(done["status"], "completed", done)
        self.fetch_and_compare(job["id"], src)  # stored while still seeding
        events = wait_for(lambda: (lambda ev: ev if "seeding_done" in ev else None)(
            stored_events(self.daemon, job["id"])), 30, "seeding to end")
        self.assertGreaterEqual(events["seeding_done"]["seconds"], 2)
        wait_for(lambda: not os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job["id"])), 10,
                 "the work dir to go")
        self.fetch_and_compare(job["id"], src)  # the stored copy outlives the seeding data


class SeedingRatioTest(BitTorrentCase):
    extra_config = '  seed_ratio_limit: "1.0"\n'

    def setUp(self):
        self.bt_port = free_port()  # a second daemon dials this daemon directly
        super().setUp()

    def test_seeds_to_another_client_until_the_ratio_is_met(self):
        size = 6 * MiB + 11
        src = self.add_file("content/ratio.bin", size)
        seeder = self.seed(src)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=90)
        self.assertEqual(done["status"], "completed", done)
        self.assertNotIn("seeding_done", stored_events(self.daemon, job["id"]))
        seeder.stop()  # from here on this daemon is the only source
        leech_cfg = os.path.join(self.tmp, "leech.yaml")
        with open(leech_cfg, "w") as f:
            f.write("engine_torrent:\n  listen_interfaces: \"127.0.0.1:0\"\n  dht: false\n  lsd: false\n"
                    "  upnp: false\n  natpmp: false\n  allow_multiple_connections_per_ip: true\n")
        leech = Daemon(os.path.join(self.tmp, "leech"), config=leech_cfg).start()
        self.addCleanup(leech.stop)
        infohash = seeder.magnet.split("btih:")[1].split("&")[0]
        magnet = "magnet:?xt=urn:btih:%s&x.pe=127.0.0.1:%d" % (infohash, self.bt_port)
        other = leech.api("POST", "/jobs", {"magnet": magnet}, expect=201)
        finished = leech.wait_status(other["id"], ["completed", "failed"], timeout=90)
        self.assertEqual(finished["status"], "completed", finished)
        events = wait_for(lambda: (lambda ev: ev if "seeding_done" in ev else None)(
            stored_events(self.daemon, job["id"])), 30, "seeding to end at ratio 1.0")
        self.assertGreaterEqual(events["seeding_done"]["uploaded"], size)
        # What it uploaded while seeding is kept: the share ratio, in the API and in ls.
        seeded = self.daemon.job(job["id"])["progress"]
        self.assertGreater(seeded["bytesUploaded"], size // 2, seeded)
        self.assertAlmostEqual(seeded["ratio"], seeded["bytesUploaded"] / seeded["bytesDone"])
        row = next(line for line in self.cli("ls").stdout.splitlines() if line.startswith(job["id"]))
        self.assertRegex(row, r" \d+\.\d\d +ratio\.bin$")
        out = os.path.join(self.tmp, "leech-out")
        r = self.cli("get", job["id"], "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
