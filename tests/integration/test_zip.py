"""GET /jobs/{id}/zip streams a job's stored files as one zip, with an exact Content-Length and
no staging copy; Python's zipfile and Info-ZIP's unzip both accept it, CRCs included."""
import io
import os
import subprocess
import unittest
import zipfile

from harness import TSEEDER, sha256_file
from test_bittorrent import BitTorrentCase


class ZipTest(BitTorrentCase):
    def test_a_many_file_job_as_one_zip(self):
        root = os.path.join(self.www, "album")
        sizes = {"a.bin": 700_000, "sub/é b.bin": 65_537, "sub/deeper/c.bin": 1, "z.bin": 0}
        for name, size in sizes.items():
            self.add_file("album/" + name, size)
        seeder = self.seed(root)
        job = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=120)
        self.assertEqual(done["status"], "completed", done)

        r = self.daemon.request("GET", "/jobs/%s/zip" % job["id"])
        self.assertEqual(r.status, 200, r.body[:200])
        self.assertEqual(r.headers["Content-Type"], "application/zip")
        self.assertEqual(int(r.headers["Content-Length"]), len(r.body))
        self.assertIn('filename="album.zip"', r.headers["Content-Disposition"])
        z = zipfile.ZipFile(io.BytesIO(r.body))
        self.assertIsNone(z.testzip(), "every CRC checks out")
        self.assertEqual(sorted(z.namelist()), sorted("album/" + n for n in sizes))
        for name in sizes:
            with z.open("album/" + name) as f:
                data = f.read()
            with open(os.path.join(root, name), "rb") as f:
                self.assertEqual(data, f.read(), name)
        path = os.path.join(self.tmp, "album.zip")
        with open(path, "wb") as f:
            f.write(r.body)
        t = subprocess.run(["unzip", "-t", path], capture_output=True, text=True, timeout=60)
        self.assertEqual(t.returncode, 0, t.stdout + t.stderr)

        self.assertEqual(self.daemon.request("GET", "/jobs/%s/zip" % ("0" * 16)).status, 404)

        # The CLI fetches the same zip into a file, or to standard output for a pipe.
        out = os.path.join(self.tmp, "cli.zip")
        c = self.cli("get", job["id"], "--zip", out)
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertIn("cli.zip", c.stdout)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), r.body)
        self.assertFalse(os.path.exists(out + ".part"))
        piped = subprocess.run([TSEEDER, "--socket", self.daemon.socket, "get", job["id"], "--zip", "-"],
                               capture_output=True, timeout=60)
        self.assertEqual(piped.returncode, 0, piped.stderr)
        self.assertEqual(piped.stdout, r.body)
        c = self.cli("get", job["id"], "--zip", out, "-o", self.tmp)
        self.assertEqual(c.returncode, 2, c.stderr)

    def test_a_job_without_stored_files_has_no_zip(self):
        r = self.daemon.request("POST", "/jobs", {"magnet": "magnet:?xt=urn:btih:" + "ab" * 20})
        self.assertEqual(r.status, 201)
        z = self.daemon.request("GET", "/jobs/%s/zip" % r.json()["id"])
        self.assertEqual(z.status, 409)
        out = os.path.join(self.tmp, "none.zip")
        c = self.cli("get", r.json()["id"], "--zip", out)
        self.assertEqual(c.returncode, 6, c.stderr)
        self.assertIn("no stored files yet", c.stderr)
        self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith("none.zip")], [])


if __name__ == "__main__":
    unittest.main()
