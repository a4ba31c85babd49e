"""Output people read: the job table, colours, units that mean what they say, local dates, a
watch that outlives a daemon restart."""
import json
import os
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
import harness  # noqa: E402
from harness import DaemonTest, run_cli  # noqa: E402

MiB = 1024 * 1024


def on_a_terminal(command, columns=70, env=None):
    """Runs a shell command on a pseudo-terminal `columns` wide (as a user's shell would); bytes out."""
    e = dict(os.environ, **(env or {}))
    r = subprocess.run(["script", "-qefc", "stty cols %d rows 40; %s" % (columns, command), "/dev/null"],
                       capture_output=True, timeout=60, env=e)
    return r.returncode, r.stdout.decode(errors="replace").replace("\r\n", "\n")


class JobTable(DaemonTest):
    http_rate = 512 * 1024

    def test_ls_shows_sizes_rates_and_a_total(self):
        self.add_file("done.bin", 3 * MiB)
        self.add_file("slow-" + "x" * 60 + ".bin", 20 * MiB)
        self.daemon.start()
        done = self.daemon.api("POST", "/jobs", {"url": self.http.url("done.bin")}, expect=201)["id"]
        self.daemon.wait_status(done, "completed", timeout=60)
        slow = self.daemon.api("POST", "/jobs", {"url": self.http.url("slow-" + "x" * 60 + ".bin")}, expect=201)["id"]
        self.daemon.wait_downloaded(slow, 1, timeout=60)
        r = self.cli("ls")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "STATUS", "SIZE", "DONE", "DOWN", "UP", "ETA", "RATIO", "NAME"])
        row = next(line for line in lines if line.startswith(done))
        self.assertRegex(row, r"completed +3\.0 MiB +100\.0% +0 B/s +0 B/s +- +- +done\.bin$")
        row = next(line for line in lines if line.startswith(slow))
        self.assertRegex(row, r"downloading +20\.0 MiB +\d+\.\d% +[\d.]+ (B|KiB|MiB)/s +0 B/s +(\d+s|\d+m\d\ds|-) +- +slow-")
        self.assertIn("x" * 60, row)  # not on a terminal: nothing is cut
        self.assertRegex(lines[-1], r"^total: 2 jobs, 23\.0 MiB, down \d+\.\d KiB/s, up 0 B/s$")

        # On a terminal the name is cut to the width and states have colours, unless asked not to.
        cmd = "%s --socket %s ls" % (harness.TSEEDER, self.daemon.socket)
        rc, out = on_a_terminal(cmd, columns=100)
        self.assertEqual(rc, 0, out)
        self.assertTrue(all(len(line) <= 100 for line in out.replace("\x1b[32m", "").replace("\x1b[36m", "")
                            .replace("\x1b[0m", "").splitlines()), out)
        self.assertIn("…", out)
        self.assertIn("\x1b[32mcompleted\x1b[0m", out)
        self.assertIn("\x1b[36mdownloading\x1b[0m", out)
        for plain in (on_a_terminal(cmd + " --no-color")[1], on_a_terminal(cmd, env={"NO_COLOR": "1"})[1]):
            self.assertNotIn("\x1b[", plain)
            self.assertIn("completed", plain)

    def test_show_prints_local_dates_and_json_keeps_iso(self):
        self.add_file("d.bin", 1000)
        self.daemon.start()
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("d.bin")}, expect=201)
        r = run_cli("--socket", self.daemon.socket, "show", job["id"], env={"TZ": "Europe/Paris"})
        self.assertRegex(r.stdout, r"created:  \d{4}-\d\d-\d\d \d\d:\d\d (UTC|CET|CEST)")
        r = self.cli("show", job["id"], "--json")
        self.assertRegex(json.loads(r.stdout)["createdAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


class Units(DaemonTest):

    def test_rate_flags_read_mb_and_mib_as_they_are(self):
        self.add_file("u.bin", 1000)
        self.daemon.start()
        for flag, expected in (("1MB", 1000000), ("1MiB", 1048576), ("1M", 1048576), ("500kB/s", 500000)):
            r = self.cli("add", self.http.url("u.bin"), "--download-limit", flag, "--json")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(json.loads(r.stdout)["options"]["downloadLimit"], expected, flag)


class WatchOutlivesARestart(DaemonTest):
    http_rate = 1024 * 1024

    def test_watch_reconnects_when_the_daemon_restarts(self):
        self.add_file("long.bin", 6 * MiB)
        self.daemon.start()
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("long.bin")}, expect=201)
        self.daemon.wait_downloaded(job["id"], 1, timeout=60)
        watching = subprocess.Popen([harness.TSEEDER, "--socket", self.daemon.socket, "watch", job["id"]],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env=dict(os.environ, TZ="UTC"))
        self.addCleanup(lambda: watching.poll() is None and watching.kill())
        first_line = threading.Event()
        lines = []

        def read():
            for line in watching.stdout:
                lines.append(line)
                first_line.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        self.assertTrue(first_line.wait(30), "watch printed nothing")
        self.assertEqual(self.daemon.stop(), 0)
        self.assertIsNone(watching.poll(), "watch ended with the daemon")
        self.daemon.start()
        self.assertEqual(watching.wait(timeout=90), 0, watching.stderr.read())
        reader.join(10)
        self.assertTrue(lines[-1].startswith("completed"), lines)


if __name__ == "__main__":
    unittest.main()
