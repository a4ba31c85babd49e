"""The provider of torrent jobs, from the CLI: shown with which engines are loaded and how their
accounts are, a switch that needs a reason, a ticket and the provider's engine, its history.
(The switch itself, its versions, audit and in-flight jobs: tests/unit/jobs/providers_test.cc;
jobs on Seedr, its account and login: test_seedr.py.)"""
import json
import unittest

from harness import DaemonTest


def provider_changes(daemon):
    # The config read at start is in the same history; only the provider's key matters here.
    return len(daemon.db_rows("SELECT version FROM setting_changes WHERE key LIKE 'provider.%'"))


class ProvidersCliTest(DaemonTest):
    def setUp(self):
        super().setUp()
        self.daemon.start()

    def test_show_switch_and_history(self):
        r = self.cli("--json", "admin", "provider", "show")
        self.assertEqual(r.returncode, 0, r.stderr)
        shown = json.loads(r.stdout)
        self.assertEqual((shown["active"], shown["version"]), ("local", 0))
        self.assertEqual([(p["name"], p["engine"], p["loaded"]) for p in shown["providers"]],
                         [("local", "engine-libtorrent", True), ("seedr", "engine-seedr", True)])
        # No Seedr credentials in this daemon: the provider says what is missing, and asks no one.
        status = shown["providers"][1]["status"]
        self.assertEqual((status["healthy"], status["auth"], status["account"]), (False, "none", None))
        self.assertIn("no Seedr credentials: run `tseeder admin provider login seedr`", status["reason"])
        r = self.cli("admin", "provider", "show")
        self.assertRegex(r.stdout, r"(?m)^local\s+active\s+engine-libtorrent\s")
        self.assertRegex(r.stdout, r"(?m)^seedr\s+engine-seedr\s")
        self.assertIn('seedr: unhealthy: "no Seedr credentials', r.stdout)

        r = self.cli("admin", "provider", "switch", "seedr", "--ticket", "OPS-7")
        self.assertEqual(r.returncode, 2, r.stderr)  # a reason is required
        r = self.cli("admin", "provider", "switch", "local", "--reason", "stay where we are", "--ticket", "OPS-8")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("active already", r.stderr)

        r = self.cli("--json", "admin", "provider", "history")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["changes"], [])  # refused switches change nothing
        self.assertEqual(provider_changes(self.daemon), 0)


class ProviderWithoutEngineTest(DaemonTest):
    def setUp(self):
        super().setUp()
        self.daemon.config = self.config_file("plugins:\n  disabled: [engine-seedr]\n")
        self.daemon.start()

    def test_a_switch_to_a_provider_whose_engine_is_not_loaded_is_refused(self):
        r = self.cli("admin", "provider", "show")
        self.assertRegex(r.stdout, r"(?m)^seedr\s+engine-seedr \(not loaded\)\s")
        r = self.cli("admin", "provider", "switch", "seedr", "--reason", "try the remote service", "--ticket", "OPS-7")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("needs the engine-seedr plugin, which is not loaded", r.stderr)
        r = self.cli("admin", "provider", "login", "seedr")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("needs the engine-seedr plugin, which is not loaded", r.stderr)
        self.assertEqual(provider_changes(self.daemon), 0)


if __name__ == "__main__":
    unittest.main()
