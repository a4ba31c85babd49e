"""BitTorrent at size: a 200 MiB single file by magnet, 1,000 files by .torrent, v2 and hybrid
torrents, and a v1 torrent seeded by another client (aria2c)."""
import os
import subprocess
import unittest

from harness import PYTHON, free_port
from test_bittorrent import SEEDER, BitTorrentCase


class BitTorrentSizesTest(BitTorrentCase):
    def test_200_mib_single_file_by_magnet(self):
        src = self.add_file("content/big.bin", 200 * 1024 * 1024)
        seeder = self.seed(src)
        r = self.cli("add", seeder.magnet, "--wait", timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.fetch_and_compare(r.stdout.split()[1], src)

    def test_1000_files_by_torrent_and_magnet(self):
        root = os.path.join(self.www, "many")
        for i in range(1000):
            self.add_file("many/d%02d/f%04d.bin" % (i % 37, i), 512 + (i * 7919) % 20000)
        seeder = self.seed_with_tracker(root)
        # By magnet (metadata from the peer named in x.pe) ...
        r = self.cli("add", seeder.magnet, "--wait", timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        by_magnet = r.stdout.split()[1]
        self.assertEqual(len(self.daemon.api("GET", "/jobs/%s/files" % by_magnet, expect=200)["files"]), 1000)
        self.fetch_and_compare(by_magnet, root)
        # ... and by .torrent (peers from the tracker) once that job is gone: while it exists the
        # same user re-adding the same infohash gets it back.
        self.assertEqual(self.cli("rm", by_magnet).returncode, 0)
        job = self.daemon.api("POST", "/jobs", {"torrent": seeder.torrent_b64()}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=300)
        self.assertEqual(done["status"], "completed", done)
        self.fetch_and_compare(job["id"], root)

    def test_v2_and_hybrid_torrents(self):
        for version in ("v2", "hybrid"):
            with self.subTest(version=version):
                root = os.path.join(self.www, "tree-" + version)
                for i in range(5):
                    self.add_file("tree-%s/part%d.bin" % (version, i), 300000 + i * 77777)
                seeder = self.seed(root, version=version)
                r = self.cli("add", seeder.magnet, "--wait", timeout=180)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                job = self.daemon.job(r.stdout.split()[1])
                self.assertEqual(len(job["infohash"]), 64 if version == "v2" else 40)
                self.fetch_and_compare(job["id"], root)

    def test_v1_torrent_seeded_by_aria2c(self):
        src = self.add_file("content/aria.bin", 16 * 1024 * 1024 + 5)
        made = os.path.join(self.tmp, "aria-made")
        seeder_dir = self.seed_dir_for_aria(src, made)
        port = free_port()  # aria2c takes a fixed listen port
        proc = subprocess.Popen(["aria2c", "--seed-ratio=0.0", "--check-integrity=true", "--enable-dht=false",
                                 "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
                                 "--listen-port=%d" % port, "--dir", seeder_dir, "--quiet=true",
                                 os.path.join(made, "t.torrent")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: (proc.kill(), proc.wait(timeout=10)))
        with open(os.path.join(made, "infohash")) as f:
            infohash = f.read().strip()
        magnet = "magnet:?xt=urn:btih:%s&dn=aria.bin&x.pe=127.0.0.1:%d" % (infohash, port)
        r = self.cli("add", magnet, "--wait", timeout=180)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.fetch_and_compare(r.stdout.split()[1], src)

    def seed_dir_for_aria(self, src, made):
        """Makes a v1 .torrent for `src` (with python3-libtorrent) and returns the data directory."""
        os.makedirs(made)
        subprocess.run([PYTHON, SEEDER, "--content", src, "--torrent-out", os.path.join(made, "t.torrent"),
                        "--magnet-out", os.path.join(made, "infohash"), "--port-file", os.path.join(made, "p"),
                        "--make-only"], check=True, timeout=120)
        return os.path.dirname(src)

if __name__ == "__main__":
    unittest.main()
