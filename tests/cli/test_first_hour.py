"""What a new user meets in the first hour: finding the daemon, flags where people type them, one
daemon per data dir, account commands that work over the socket and over HTTP."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from accounts_support import PASSWORD, AccountsCase  # noqa: E402
import harness  # noqa: E402
from harness import RUNTIME_DIR, TSEEDERD, Daemon, DaemonTest, run_cli  # noqa: E402


class FindingTheDaemon(DaemonTest):

    def test_found_from_any_directory(self):
        self.daemon.start()
        link = os.path.join(RUNTIME_DIR, "tseeder", "tseederd.sock")
        self.assertEqual(os.readlink(link), os.path.realpath(self.daemon.socket))
        elsewhere = tempfile.mkdtemp(prefix="tseeder-elsewhere-")
        self.addCleanup(os.rmdir, elsewhere)
        r = run_cli("--json", "ls", cwd=elsewhere)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["jobs"], [])
        # From the directory the daemon runs in, ./var/tseederd.sock comes before the link.
        r = run_cli("ls", cwd=self.tmp, env={"XDG_RUNTIME_DIR": elsewhere})
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_the_order_of_what_names_it(self):
        self.daemon.start()
        nowhere = os.path.join(self.tmp, "nowhere.sock")
        # A flag wins over the environment, the environment over ./var and the link.
        r = run_cli("--socket", self.daemon.socket, "ls", env={"TSEEDER_URL": "http://127.0.0.1:1"})
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run_cli("ls", cwd=self.tmp, env={"TSEEDER_SOCKET": nowhere})
        self.assertEqual(r.returncode, 4)
        self.assertIn("unix:%s (from TSEEDER_SOCKET)" % nowhere, r.stderr)

    def test_nothing_found_says_what_it_tried(self):
        self.daemon.start()
        self.daemon.stop()  # the link goes with it
        self.assertFalse(os.path.lexists(os.path.join(RUNTIME_DIR, "tseeder", "tseederd.sock")))
        elsewhere = tempfile.mkdtemp(prefix="tseeder-elsewhere-")
        self.addCleanup(os.rmdir, elsewhere)
        r = run_cli("ls", cwd=elsewhere)
        self.assertEqual(r.returncode, 4)
        for tried in ("--socket/--url (not given)", "TSEEDER_SOCKET/TSEEDER_URL (not set)", "a saved login (none)",
                      "var/tseederd.sock (no socket there)", RUNTIME_DIR + "/tseeder/tseederd.sock (no socket there)"):
            self.assertIn(tried, r.stderr)
        self.assertIn("--socket PATH or --url URL", r.stderr)

    def test_a_stale_link_is_replaced_and_a_live_one_kept(self):
        link = os.path.join(RUNTIME_DIR, "tseeder", "tseederd.sock")
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.join(self.tmp, "gone.sock"), link)
        self.daemon.start()
        self.assertEqual(os.readlink(link), os.path.realpath(self.daemon.socket))
        other = Daemon(os.path.join(self.tmp, "var2"))
        other.start()
        try:
            self.assertEqual(os.readlink(link), os.path.realpath(self.daemon.socket))
        finally:
            self.assertEqual(other.stop(), 0)
        self.assertEqual(os.readlink(link), os.path.realpath(self.daemon.socket))


class GlobalFlags(DaemonTest):

    def test_global_flags_stand_anywhere(self):
        self.add_file("g.bin", 100)
        self.daemon.start()
        r = run_cli("ls", "--json", "--socket", self.daemon.socket)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["jobs"], [])
        r = run_cli("add", self.http.url("g.bin"), "--url", self.daemon.url, "--api-key", self.daemon.api_key,
                    "--wait", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["status"], "completed")
        r = run_cli("keys", "ls", "--socket", self.daemon.socket, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("apiKeys", json.loads(r.stdout))

    def test_every_command_lists_them_in_its_help(self):
        for command in (["ls"], ["add"], ["keys", "ls"], ["admin", "users", "ls"], ["sessions", "rm"]):
            r = run_cli(*command, "--help")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("Global options:", r.stdout, command)
            for flag in ("--socket", "--url", "--api-key", "--json"):
                self.assertIn(flag, r.stdout.split("Global options:")[1], command)


class OneDaemonPerDataDir(DaemonTest):

    def test_a_second_daemon_on_the_same_data_dir_refuses(self):
        self.daemon.start()
        second = subprocess.run([TSEEDERD, "--data-dir", self.daemon.data_dir, "--listen", "127.0.0.1:0",
                                 "--socket", self.daemon.socket], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(second.returncode, 0)
        self.assertIn("data dir %s is in use by tseederd pid %d" % (self.daemon.data_dir, self.daemon.proc.pid),
                      second.stderr)
        # The first keeps its socket.
        self.assertEqual(self.cli("ls").returncode, 0)
        # The lock goes with the process: after kill -9 a new daemon starts on the same dir.
        self.daemon.kill9()
        self.daemon.start()
        self.assertEqual(self.cli("ls").returncode, 0)


class AccountCommands(AccountsCase):

    def setUp(self):
        super().setUp()
        # login saves a key; keep it out of the other tests of this process.
        self.config_home = os.path.join(self.tmp, "config")
        self.env = {"XDG_CONFIG_HOME": self.config_home}

    def as_user(self, *args, **kw):
        return run_cli("--url", self.daemon.url, *args, env=self.env, **kw)

    def test_whoami_over_the_socket_and_with_a_key_made_there(self):
        r = self.cli("whoami")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("the local operator  role superadmin", r.stdout)
        key = self.cli("keys", "add", "script").stdout.strip()
        r = run_cli("--url", self.daemon.url, "--api-key", key, "whoami")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("the local operator", r.stdout)
        r = self.cli("keys", "ls")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"script +\d{4}-\d\d-\d\d \d\d:\d\d UTC")

    def test_passwd_sessions_and_the_saved_login(self):
        self.add_user("pat@example.test")
        r = self.as_user("login", "pat@example.test", input=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        browser = self.login("pat@example.test")
        r = run_cli("sessions", "ls", env=self.env)  # the saved login names the daemon
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(browser.user["id"], run_cli("whoami", "--json", env=self.env).stdout)
        sessions = json.loads(run_cli("sessions", "ls", "--json", env=self.env).stdout)["sessions"]
        self.assertEqual(len(sessions), 1)
        r = run_cli("sessions", "rm", sessions[0]["id"], env=self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(browser.request("GET", "/auth/me").status, 401)
        self.login("pat@example.test")
        r = run_cli("passwd", env=self.env, input="wrong password here\nnew staircase humming\n")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("currentPassword is wrong", r.stderr)
        r = run_cli("passwd", env=self.env, input=PASSWORD + "\nnew staircase humming\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("password changed; 1 other session(s) ended", r.stdout)
        self.login("pat@example.test", expect=401)
        self.login("pat@example.test", "new staircase humming")
        self.assertEqual(run_cli("whoami", env=self.env).returncode, 0)  # the key it went through stays
        r = self.cli("passwd", input="a\nb\n")
        self.assertEqual(r.returncode, 6)
        self.assertIn("this account has no password", r.stderr)

    def test_reset_password_by_mail(self):
        self.add_user("ria@example.test")
        r = self.cli("reset-password", "ria@example.test")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("a reset token is on its way", r.stdout)
        token = self.token_from(self.smtp.wait_for_mail("ria@example.test", "Reset"))
        r = self.cli("reset-password", "--token", token, input="fresh violet staircase\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.login("ria@example.test", "fresh violet staircase")
        r = self.cli("reset-password")
        self.assertEqual(r.returncode, 2)
        self.assertIn("needs an EMAIL or --token TOKEN", r.stderr)


class NoMailServer(DaemonTest):

    def test_register_without_mail_is_an_error_not_an_unreachable_daemon(self):
        self.daemon.start()
        r = run_cli("--url", self.daemon.url, "register", "new@example.test", "--accept-aup",
                    input="violet staircase humming\n", env={"XDG_CONFIG_HOME": self.tmp})
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("mail", r.stderr)
        self.assertNotIn("cannot reach", r.stderr)


class JobIds(DaemonTest):
    http_rate = 256 * 1024  # the jobs are still running while the test acts on them

    def ids_of(self, answer, key):
        return sorted(j["id"] for j in answer[key])

    def test_prefixes_several_ids_and_selections(self):
        self.add_file("slow.bin", 20 * 1024 * 1024)
        self.daemon.start()
        ids = [self.daemon.api("POST", "/jobs", {"url": self.http.url("slow.bin")}, expect=201)["id"] for _ in range(3)]
        r = self.cli("show", ids[0][:6].upper())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("id:       " + ids[0], r.stdout)
        r = self.cli("show", ids[0][:3])
        self.assertEqual(r.returncode, 3)
        self.assertIn("the first 4 or more will do", r.stderr)
        unused = next(p for p in ("%04x" % n for n in range(65536)) if not any(i.startswith(p) for i in ids))
        r = self.cli("show", unused)
        self.assertEqual(r.returncode, 3)
        self.assertIn("no job id begins with " + unused, r.stderr)

        r = self.cli("pause", ids[0][:5], ids[1])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split("\n")[:2], [ids[0] + " paused", ids[1] + " paused"])
        # A selection skips the jobs the action does not apply to; explicit ids report them.
        r = self.cli("--json", "pause", "all")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(self.ids_of(out, "done"), [ids[2]])
        self.assertEqual(self.ids_of(out, "skipped"), sorted(ids[:2]))
        r = self.cli("pause", ids[0], ids[2][:8])
        self.assertEqual(r.returncode, 6)
        self.assertIn(ids[0] + ": ", r.stderr)
        r = self.cli("--json", "resume", "--status", "paused")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.ids_of(json.loads(r.stdout), "done"), sorted(ids))
        self.assertEqual(self.cli("pause", ids[1]).returncode, 0)

        # Two jobs whose ids share their first eight characters, as a store of many jobs has.
        self.daemon.stop()
        twin = ids[1][:8] + ("0" if ids[1][8] != "0" else "1") + ids[1][9:]
        with sqlite3.connect(os.path.join(self.daemon.data_dir, "tseeder.db")) as db:
            cols = [c[1] for c in db.execute("PRAGMA table_info(jobs)") if c[1] != "id"]
            db.execute("INSERT INTO jobs (id, %s) SELECT ?, %s FROM jobs WHERE id = ?" % (
                ", ".join(cols), ", ".join(cols)), (twin, ids[1]))
        self.daemon.start()
        r = self.cli("show", ids[1][:8])
        self.assertEqual(r.returncode, 2)
        self.assertIn("job id prefix %s is ambiguous: 2 jobs begin so (%s)" % (
            ids[1][:8], ", ".join(sorted([ids[1], twin]))), r.stderr)
        self.assertEqual(self.cli("show", ids[1][:9]).returncode, 0)

        r = self.cli("rm", "all")
        self.assertEqual(r.returncode, 2)
        self.assertIn("needs --yes", r.stderr)
        r = self.cli("rm", "all", "--yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(self.cli("--json", "ls").stdout)["jobs"], [])


class AFirstStartExplainsItself(DaemonTest):

    def start_printing(self, config):
        """Starts tseederd as a user would; its printed lines up to the bootstrap hint."""
        proc = subprocess.Popen([TSEEDERD, "--data-dir", os.path.join(self.tmp, "first"), "--listen", "127.0.0.1:0",
                                 "--plugin-dir", harness.PLUGIN_DIR, "--config", self.config_file(config)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.addCleanup(lambda: proc.poll() is None and (proc.terminate(), proc.wait(10)))
        lines = []
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("no administrator account yet"):
                break
        proc.terminate()
        self.assertEqual(proc.wait(10), 0)
        return lines

    def test_the_start_up_lines_say_what_loaded_and_what_to_fix(self):
        empty = os.path.join(self.tmp, "no-signatures")
        os.makedirs(empty)
        lines = self.start_printing(
            "engine_torrent:\n  listen_interfaces: 127.0.0.1:0\n  dht: false\n  lsd: true\n"
            "scanner_clamav:\n  database: %s\n" % empty)
        self.assertIn("engines: engine-http 0.1.0, engine-libtorrent 0.1.0, engine-seedr 0.1.0", lines)
        self.assertIn("BitTorrent: listening on 127.0.0.1:0; DHT off (reaches the internet), LSD on (reaches the "
                      "local network); engine_torrent.dht / lsd: false keeps to trackers", lines)
        self.assertIn("scanner: scanner-clamav 0.1.0", lines)
        self.assertIn("payments watched on: none (staff confirm crypto orders: tseeder admin wallet confirm)", lines)
        warning = next(line for line in lines if line.startswith("warning: scanner-clamav: no ClamAV signature"))
        self.assertIn(empty, warning)
        self.assertIn("`freshclam`", warning)

    def test_add_wait_says_why_a_file_was_not_scanned(self):
        self.add_file("plain.bin", 1000)
        self.daemon.config = self.config_file("scanner_clamav:\n  clamscan: /nonexistent/clamscan\n")
        self.daemon.start()
        r = self.cli("add", self.http.url("plain.bin"), "--wait")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"(?m)^warning: the files were not scanned for viruses: \S.*$")
