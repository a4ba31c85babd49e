"""The CLI's contract for scripts: exit codes, --json, environment variables."""
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
import harness  # noqa: E402
from harness import DaemonTest, run_cli  # noqa: E402


class CliTest(DaemonTest):
    http_rate = 6 * 1024 * 1024

    def test_exit_codes(self):
        self.daemon.start()
        self.assertEqual(run_cli("--socket", os.path.join(self.tmp, "nope.sock"), "ls").returncode, 4)
        self.assertEqual(self.cli("show", "0123456789abcdef").returncode, 3)
        r = self.cli("show", "../health")  # never becomes part of a URL
        self.assertEqual(r.returncode, 3)
        self.assertIn("16 hex characters", r.stderr)
        self.assertEqual(self.cli("add", "file:///etc/passwd").returncode, 2)
        r = self.cli("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown command 'frobnicate'", r.stderr)
        r = self.cli("admin", "smoke")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown command 'smoke' (see tseeder admin --help)", r.stderr)
        self.assertEqual(run_cli().returncode, 2)
        r = run_cli("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("Exit codes:", r.stdout)
        self.assertIn("daemon unreachable", r.stdout)

    def test_a_route_the_daemon_lacks_exits_seven(self):
        class NotImplemented(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b'{"error":{"code":"NOT_IMPLEMENTED","message":"listing is not built"}}'
                self.send_response(501)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotImplemented)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            r = run_cli("--url", f"http://127.0.0.1:{server.server_port}", "--api-key", "k", "ls")
        finally:
            server.shutdown()
            server.server_close()
        self.assertEqual(r.returncode, 7, r.stderr)
        self.assertIn("listing is not built (not implemented yet)", r.stderr)

    def test_json_output_and_environment(self):
        self.add_file("j.bin", 100)
        self.daemon.start()
        env = {"TSEEDER_URL": self.daemon.url, "TSEEDER_API_KEY": self.daemon.api_key}
        r = run_cli("--json", "add", self.http.url("j.bin"), "--wait", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        job = json.loads(r.stdout)
        self.assertEqual(job["status"], "completed")
        r = run_cli("--json", "ls", env={"TSEEDER_SOCKET": self.daemon.socket})
        self.assertEqual(json.loads(r.stdout)["jobs"][0]["id"], job["id"])
        r = run_cli("--json", "show", "0123456789abcdef", env=env)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(json.loads(r.stderr)["error"]["code"], "NOT_FOUND")

    def test_ls_pages_on_with_after(self):
        self.add_file("p.bin", 10)
        self.daemon.start()
        ids = [self.daemon.api("POST", "/jobs", {"url": self.http.url("p.bin")}, expect=201)["id"] for _ in range(3)]
        r = self.cli("ls", "--limit", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        hint = r.stdout.strip().splitlines()[-1]
        self.assertRegex(hint, r"^\(2 of 3; more: tseeder ls --after \d+_[0-9a-f]{16}\)$")
        rest = self.cli("ls", "--limit", "2", "--after", hint.split()[-1].rstrip(")"))
        self.assertEqual(rest.returncode, 0, rest.stderr)
        shown = re.findall(r"^([0-9a-f]{16}) ", r.stdout + rest.stdout, re.M)
        self.assertEqual(sorted(shown), sorted(ids))
        self.assertNotIn("more:", rest.stdout)
        self.assertEqual(self.cli("ls", "--after", "x", "--offset", "1").returncode, 2)

    def test_watch_on_a_tty_draws_a_progress_bar(self):
        # `script` gives the CLI a pseudo-terminal, as a user's shell would.
        self.add_file("tty.bin", 12 * 1024 * 1024)
        self.daemon.start()
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("tty.bin")}, expect=201)
        cmd = "%s --socket %s watch %s" % (harness.TSEEDER, self.daemon.socket, job["id"])
        r = subprocess.run(["script", "-qefc", cmd, "/dev/null"], capture_output=True, timeout=120)
        out = r.stdout.decode(errors="replace")  # bytes: text mode would turn '\r' into '\n'
        self.assertEqual(r.returncode, 0, out + r.stderr.decode(errors="replace"))
        self.assertIn("\r\x1b[K[", out)  # the bar is redrawn in place
        self.assertIn("#", out)
        self.assertIn("MiB/s", out)
        self.assertIn("completed", out)

    def test_watch_without_tty_prints_one_line_per_event(self):
        self.add_file("w.bin", 1000)
        self.daemon.start()
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("w.bin")}, expect=201)
        self.daemon.wait_status(job["id"], "completed")
        r = self.cli("watch", job["id"])
        self.assertEqual((r.returncode, r.stdout.strip()), (0, "completed"))


if __name__ == "__main__":
    unittest.main()
