"""Daemon start-up, config errors, schema guard, Unix socket, plugins, SIGTERM."""
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import time
import unittest

from harness import PLUGIN_DIR, TEST_PLUGIN_DIR, TSEEDERD, DaemonTest, run_cli, sha256_file


def run_daemon(*args, timeout=20):
    return subprocess.run([TSEEDERD] + list(args), capture_output=True, text=True, timeout=timeout)


class ConfigErrorsTest(DaemonTest):
    def write_config(self, text):
        path = os.path.join(self.tmp, "tseederd.yaml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_unknown_key_names_key_and_line(self):
        cfg = self.write_config("listen: 127.0.0.1:0\njobs:\n  max_active: 2\n  max_actve: 3\n")
        r = run_daemon("--config", cfg, "--data-dir", os.path.join(self.tmp, "v"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("jobs.max_actve (line 4)", r.stderr)
        self.assertIn("not a known key", r.stderr)

    def test_bad_values_name_key_and_line(self):
        for text, needle in (("jobs:\n  max_active: lots\n", "jobs.max_active (line 2)"),
                             ("jobs:\n  max_active: 0\n", "out of range"),
                             ("listen: nowhere\n", "listen (line 1)"),
                             ("log:\n  level: loud\n", "log.level (line 2)"),
                             ("listen: [1, 2]\n", "listen (line 1)"),
                             ("engine_torrent:\n  encryption: sometimes\n", "engine_torrent.encryption (line 2)"),
                             ("engine_torrent:\n  proxy: ftp://p:1\n", "engine_torrent.proxy (line 2)"),
                             ("engine_torrent:\n  proxy: socks5://p:99999\n", "not a port number"),
                             ("engine_torrent:\n  seed_ratio_limit: lots\n", "not a ratio"),
                             ("jobs: [\n", "cannot be parsed")):
            with self.subTest(text=text):
                r = run_daemon("--config", self.write_config(text), "--data-dir", os.path.join(self.tmp, "v"))
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(needle, r.stderr)

    def test_shipped_config_loads_and_dump_lists_every_key(self):
        shipped = os.path.join(os.path.dirname(__file__), "..", "..", "etc", "tseederd.yaml")
        r = run_daemon("--config", shipped, "--dump-config")
        self.assertEqual(r.returncode, 0, r.stderr)
        for key in ("listen:", "data_dir:", "max_active:", "max_redirects:", "encryption:", "seed_ratio_limit:"):
            self.assertIn(key, r.stdout)

    def test_dump_redacts_the_proxy_password(self):
        cfg = self.write_config("engine_torrent:\n  proxy: socks5://127.0.0.1:1080\n  proxy_username: u\n"
                                "  proxy_password: hunter2-secret\n")
        r = run_daemon("--config", cfg, "--dump-config")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("hunter2-secret", r.stdout)
        self.assertIn('proxy_password: "<redacted>"', r.stdout)

    def test_dump_masks_credentials_inside_urls(self):
        cfg = self.write_config("smtp:\n  url: smtp://mailer:hunter3-secret@127.0.0.1:25\n"
                                "fleet:\n  controller_url: https://agent:ctl-secret@ctl.example:8420\n"
                                "storage:\n  s3:\n    endpoint: https://s3-secret@s3.example\n")
        r = run_daemon("--config", cfg, "--dump-config")
        self.assertEqual(r.returncode, 0, r.stderr)
        for secret in ("hunter3-secret", "ctl-secret", "s3-secret", "mailer"):
            self.assertNotIn(secret, r.stdout)
        self.assertIn('url: "smtp://<redacted>@127.0.0.1:25"', r.stdout)

    def test_bad_flag_value(self):
        r = run_daemon("--listen", "127.0.0.1:99999", "--data-dir", os.path.join(self.tmp, "v"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("--listen", r.stderr)


class LifecycleTest(DaemonTest):
    http_rate = 8 * 1024 * 1024

    def test_health_socket_mode_and_request_id(self):
        self.daemon.start()
        r = self.daemon.request("GET", "/health", headers={"X-Request-Id": "abc-123"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["status"], "ok")
        self.assertEqual(r.headers["X-Request-Id"], "abc-123")
        mode = stat.S_IMODE(os.stat(self.daemon.socket).st_mode)
        self.assertEqual(mode, 0o660)
        r = self.cli("--json", "ls")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["total"], 0)
        # Logs are JSON lines and carry the correlation id.
        lines = [json.loads(l) for l in self.daemon.read_log().splitlines() if l.startswith("{")]
        self.assertTrue(any(l.get("rid") == "abc-123" and l.get("path") == "/health" for l in lines))

    def test_refuses_newer_database(self):
        self.daemon.start()
        self.daemon.stop()
        con = sqlite3.connect(os.path.join(self.daemon.data_dir, "tseeder.db"))
        con.execute("PRAGMA user_version = 99")
        con.commit()
        con.close()
        r = run_daemon("--data-dir", self.daemon.data_dir, "--listen", "127.0.0.1:0", "--socket",
                       self.daemon.socket, "--plugin-dir", PLUGIN_DIR)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("schema version 99", r.stderr)
        r = run_cli("migrate", "status", "--db", os.path.join(self.daemon.data_dir, "tseeder.db"))
        self.assertIn("newer than this tseeder", r.stdout)

    def test_plugins_ls_and_abi_mismatch_refused(self):
        plugins = os.path.join(self.tmp, "plugins")
        os.makedirs(plugins)
        shutil.copy(os.path.join(PLUGIN_DIR, "engine-http.so"), plugins)
        shutil.copy(os.path.join(TEST_PLUGIN_DIR, "test-abi-mismatch.so"), plugins)
        self.daemon.plugin_dir = plugins
        self.daemon.start()
        r = self.cli("plugins", "ls")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("engine-http", r.stdout)
        self.assertIn("refused: %s/test-abi-mismatch.so" % plugins, r.stdout)
        self.assertIn("plugin ABI 2.0", r.stdout)
        self.assertIn("speaks ABI 1.", r.stdout)
        listing = json.loads(self.cli("--json", "plugins", "ls").stdout)
        self.assertEqual([p["name"] for p in listing["plugins"]], ["engine-http"])

    def test_sigterm_stops_within_5s_and_restart_resumes(self):
        src = self.add_file("t.bin", 32 * 1024 * 1024)
        self.daemon.start()
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("t.bin")}, expect=201)
        self.daemon.wait_downloaded(job["id"], 0, timeout=30)
        began = time.monotonic()
        self.assertEqual(self.daemon.stop(timeout=5), 0)
        self.assertLess(time.monotonic() - began, 5)
        self.assertFalse(os.path.exists(self.daemon.socket))
        con = sqlite3.connect(os.path.join(self.daemon.data_dir, "tseeder.db"))
        status = con.execute("SELECT status FROM jobs WHERE id = ?", (job["id"],)).fetchone()[0]
        con.close()
        self.assertEqual(status, "queued")
        self.daemon.start()
        self.daemon.wait_status(job["id"], "completed", timeout=60)
        r = self.cli("get", job["id"], "-o", os.path.join(self.tmp, "o"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sha256_file(os.path.join(self.tmp, "o", "t.bin")), sha256_file(src))

    def test_max_active_queues_the_rest(self):
        cfg = os.path.join(self.tmp, "one.yaml")
        with open(cfg, "w") as f:
            f.write("jobs:\n  max_active: 1\n")
        self.daemon.config = cfg
        self.daemon.start()
        self.add_file("q1.bin", 8 * 1024 * 1024)
        self.add_file("q2.bin", 1000)
        a = self.daemon.api("POST", "/jobs", {"url": self.http.url("q1.bin")}, expect=201)
        b = self.daemon.api("POST", "/jobs", {"url": self.http.url("q2.bin")}, expect=201)
        self.daemon.wait_status(b["id"], "queued", timeout=10)
        self.assertIn(self.daemon.job(a["id"])["status"], ("metadata_fetch", "downloading"))
        self.daemon.wait_status(a["id"], "completed", timeout=60)
        self.daemon.wait_status(b["id"], "completed", timeout=30)


if __name__ == "__main__":
    unittest.main()
