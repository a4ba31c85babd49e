"""Files are private to the service: a new install's database (with its WAL and SHM), secrets,
downloads and local storage are 0600/0700, and an older install's are tightened at start."""
import os
import stat
import unittest

from harness import DaemonTest


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


class FileModesTest(DaemonTest):
    def run_a_job(self):
        self.add_file("m.bin", 50_000)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("m.bin")}, expect=201)
        self.daemon.wait_status(job["id"], "completed", timeout=30)
        file_id = self.daemon.api("GET", "/jobs/%s/files" % job["id"], expect=200)["files"][0]["id"]
        self.daemon.api("GET", "/jobs/%s/files/%d/url" % (job["id"], file_id), expect=200)  # makes the link key

    def test_a_new_install_is_private_to_the_service(self):
        self.daemon.start()
        self.run_a_job()
        d = self.daemon.data_dir
        self.assertEqual(mode(d) & 0o067, 0, oct(mode(d)))
        for f in ("tseeder.db", "tseeder.db-wal", "tseeder.db-shm"):
            self.assertEqual(mode(os.path.join(d, f)), 0o600, f)
        for sub in ("secrets", "downloads", "storage"):
            self.assertEqual(mode(os.path.join(d, sub)), 0o700, sub)
        for root, dirs, files in os.walk(d):
            for name in dirs:
                self.assertEqual(mode(os.path.join(root, name)) & 0o077, 0, os.path.join(root, name))
            for name in files:
                path = os.path.join(root, name)
                if stat.S_ISSOCK(os.lstat(path).st_mode):
                    self.assertEqual(mode(path), 0o660, "the operator's group may use the socket")
                else:
                    self.assertEqual(mode(path) & 0o077, 0, path)

    def test_an_older_install_is_tightened_at_start(self):
        self.daemon.start()
        self.run_a_job()
        self.daemon.stop()
        d = self.daemon.data_dir
        os.chmod(d, 0o755)
        os.chmod(os.path.join(d, "tseeder.db"), 0o644)
        for sub in ("secrets", "downloads", "storage"):
            os.chmod(os.path.join(d, sub), 0o755)
        self.daemon.start()
        self.assertEqual(mode(d), 0o710)
        self.assertEqual(mode(os.path.join(d, "tseeder.db")), 0o600)
        for sub in ("secrets", "downloads", "storage"):
            self.assertEqual(mode(os.path.join(d, sub)), 0o700, sub)
        log = self.daemon.read_log()
        self.assertIn("made files of an older install private to the service", log)
        self.assertIn("tseeder.db (0644 → 0600)", log)


if __name__ == "__main__":
    unittest.main()
