"""engine-seedr against the loopback fake of Seedr.cc: torrents added to the account, followed,
pulled by Range over the signed file URLs, checked, stored, and removed from the account."""
import base64
import concurrent.futures
import json
import os
import re
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from harness import run_cli, wait_for
from seedr_support import SeedrTest, signed_url, torrent_file


class SeedrJobTest(SeedrTest):
    def test_a_magnet_to_completion_with_every_byte_checked(self):
        c = self.content("Big Buck Bunny", [("Big Buck Bunny.mp4", 3 * 1024 * 1024 + 17)])
        r = self.cli("add", c.magnet, "--wait")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        job_id = r.stdout.split()[1]
        job = self.daemon.job(job_id)
        self.assertEqual((job["status"], job["engine"]), ("completed", "engine-seedr"))
        self.assertEqual(self.stored_digests(job_id), {"Big Buck Bunny.mp4": c.digest("Big Buck Bunny.mp4")})
        stats = self.seedr.stats()
        # Sent as `magnet`: the field Seedr starts downloads from (torrent_magnet parks it in the wishlist).
        self.assertEqual(stats["wishlist"], [])
        self.assertEqual(stats["total_served"], 3 * 1024 * 1024 + 17)
        # Pulled, then removed from the account (seedr.delete_after_pull is on by default).
        self.assertEqual([d["type"] for d in stats["deleted"]], ["folder"])
        self.assertEqual(stats["folders"], 0)
        # The remote phase showed in the job's events like a local engine's progress.
        self.assertIn("remote", [d.get("kind") for d in self.daemon.timeline(job_id, "notice")])
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job_id)))

    def test_a_base32_magnet_is_known_by_its_hex_infohash(self):
        c = self.content("Base32", [("b.bin", 1000)])
        b32 = base64.b32encode(bytes.fromhex(c.hash)).decode()
        job = self.daemon.api("POST", "/jobs", {"magnet": "magnet:?xt=urn:btih:%s&dn=Base32" % b32}, expect=201)
        self.assertEqual((job["infohash"], job["name"]), (c.hash, "Base32"))
        self.assertEqual(self.ended(job["id"])["status"], "completed")

    def test_the_remote_transfer_shows_as_the_job_progress_before_the_pull(self):
        c = self.content("Slow remote", [("slow.bin", 10 * 1024 * 1024)], duration_s=4)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)

        def remote_progress():
            j = self.daemon.job(job["id"])
            p = j["progress"]
            return j if j["status"] == "metadata_fetch" and 0 < p["bytesDone"] < p["bytesTotal"] else None
        seen = wait_for(remote_progress, 20, "the remote transfer's progress")["progress"]
        self.assertEqual(seen["bytesTotal"], 10 * 1024 * 1024)
        self.assertEqual((seen["downloadSpeed"], seen["seeds"], seen["peers"]), (1 << 20, 3, 1))
        self.assertEqual(self.ended(job["id"])["status"], "completed")

    def test_a_multi_file_torrent_with_file_selection(self):
        files = [("S01E01.mkv", 200 * 1024), ("S01E02.mkv", 300 * 1024), ("extras/notes.txt", 1000)]
        c = self.content("Show", files)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet, "files": [1]}, expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=60)
        self.assertEqual(done["status"], "completed", done)
        listed = self.daemon.api("GET", "/jobs/%s/files" % job["id"], expect=200)["files"]
        # Named like a local engine names them: under the torrent's folder.
        self.assertEqual([f["path"] for f in listed], ["Show/S01E01.mkv", "Show/S01E02.mkv", "Show/extras/notes.txt"])
        self.assertEqual(self.stored_digests(job["id"]), {"Show/S01E02.mkv": c.digest("S01E02.mkv")})
        self.assertEqual(self.seedr.stats()["total_served"], 300 * 1024)  # skipped files are never pulled




class SeedrResilienceTest(SeedrTest):
    def test_an_expired_token_is_refreshed_once_and_the_call_made_again(self):
        c = self.content("Refresh", [("refresh.bin", 100 * 1024)], duration_s=1.5)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        wait_for(lambda: self.seedr.stats()["torrents"] == 1, 20, "the torrent on the account")
        self.seedr.control(expire_tokens=True)
        self.assertEqual(self.ended(job["id"])["status"], "completed")
        stats = self.seedr.stats()
        self.assertEqual((stats["password_grants"], stats["refreshes"]), (1, 1))

    def test_a_torrent_file_is_uploaded(self):
        path = os.path.join(self.tmp, "upload.torrent")
        c = self.content("single.iso", [("single.iso", 64 * 1024)])
        c.hash = torrent_file(path, "single.iso", 64 * 1024)
        c.register(self.seedr)
        r = self.cli("add", path, "--wait")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        job_id = r.stdout.split()[1]
        self.assertEqual(self.daemon.job(job_id)["infohash"], c.hash)
        self.assertEqual(self.stored_digests(job_id), {"single.iso": c.digest("single.iso")})

    def test_a_torrent_url_is_fetched_and_uploaded(self):
        c = self.content("from-url.iso", [("from-url.iso", 32 * 1024)])
        c.hash = torrent_file(os.path.join(self.www, "pick.torrent"), "from-url.iso", 32 * 1024)
        c.register(self.seedr)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("pick.torrent")}, expect=201)
        self.assertEqual(self.ended(job["id"])["status"], "completed")
        self.assertEqual(self.daemon.job(job["id"])["engine"], "engine-seedr")
        self.assertEqual(self.stored_digests(job["id"]), {"from-url.iso": c.digest("from-url.iso")})
        # Other URLs are plain downloads, as with the local provider.
        self.add_file("plain.bin", 1000)
        plain = self.daemon.api("POST", "/jobs", {"url": self.http.url("plain.bin")}, expect=201)
        self.assertEqual(self.ended(plain["id"])["status"], "completed")
        self.assertEqual(self.daemon.job(plain["id"])["engine"], "engine-http")

    def test_the_fake_refuses_a_third_reader_of_one_url(self):
        # The limit the engine is held to is real: two readers of one signed URL, the third gets 429.
        c = self.content("Readers", [("r.bin", 1000)])
        self.seedr.knobs(reader_delay_s=2)
        url = signed_url(self.seedr, c)
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            def status(delay):
                time.sleep(delay)
                try:
                    return urllib.request.urlopen(url, timeout=10).status
                except urllib.error.HTTPError as e:
                    return e.code
            self.assertEqual(sorted(pool.map(status, [0, 0, 0.5])), [200, 200, 429])

    def test_a_pull_cut_mid_file_resumes_by_range(self):
        size = 4 * 1024 * 1024
        c = self.content("Cut", [("cut.bin", size)])
        self.seedr.knobs(cut_after=1024 * 1024 + 5)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        self.assertEqual(self.ended(job["id"])["status"], "completed")
        self.assertEqual(self.stored_digests(job["id"]), {"cut.bin": c.digest("cut.bin")})
        served = self.seedr.stats()["total_served"]
        self.assertLess(served, 1.1 * size)
        self.assertGreaterEqual(served, size)

    def test_a_busy_file_url_is_retried_and_never_read_by_more_than_two(self):
        c = self.content("Busy", [("a.bin", 300 * 1024), ("b.bin", 200 * 1024)])
        self.seedr.knobs(reject_next_reads=2)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        self.assertEqual(self.ended(job["id"])["status"], "completed")
        stats = self.seedr.stats()
        self.assertEqual(stats["rejected_429"], 2)
        self.assertLessEqual(stats["max_readers"], 2)
        self.assertEqual(self.stored_digests(job["id"]),
                         {"Busy/a.bin": c.digest("a.bin"), "Busy/b.bin": c.digest("b.bin")})

    def test_server_errors_are_retried_with_backoff(self):
        c = self.content("Flaky", [("flaky.bin", 10 * 1024)])
        self.seedr.knobs(fail_next=[503, 429, 502])
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        self.assertEqual(self.ended(job["id"])["status"], "completed")

    def test_a_daemon_killed_during_the_pull_resumes_where_it_stopped(self):
        size = 6 * 1024 * 1024
        c = self.content("Killed", [("killed.bin", size)])
        self.seedr.knobs(read_rate=2 * 1024 * 1024)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        part = os.path.join(self.work_dir(job["id"]), "killed.bin")
        wait_for(lambda: os.path.exists(part) and os.path.getsize(part) >= 2 * 1024 * 1024, 30, "half the file")
        self.daemon.kill9()
        self.seedr.knobs(read_rate=0)
        self.daemon.start()
        self.assertEqual(self.ended(job["id"])["status"], "completed")
        self.assertEqual(self.stored_digests(job["id"]), {"killed.bin": c.digest("killed.bin")})
        stats = self.seedr.stats()
        self.assertEqual(stats["calls"]["add_torrent"], 1)  # the transfer was found again, not added twice
        self.assertLess(stats["total_served"], 1.1 * size)

    def test_cancel_removes_the_remote_transfer(self):
        c = self.content("Cancelled", [("c.bin", 1000)], duration_s=60)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        wait_for(lambda: self.seedr.stats()["torrents"] == 1, 20, "the torrent on the account")
        wait_for(lambda: os.path.exists(os.path.join(self.work_dir(job["id"]), ".seedr-job.json")), 20,
                 "the job's remote state")
        self.daemon.api("POST", "/jobs/%s/cancel" % job["id"], {}, expect=200)
        wait_for(lambda: self.seedr.stats()["torrents"] == 0, 20, "the remote transfer removed")
        self.assertEqual([d["type"] for d in self.seedr.stats()["deleted"]], ["torrent"])

    def test_delete_removes_the_remote_folder_of_a_job_being_pulled(self):
        c = self.content("Deleted", [("d.bin", 8 * 1024 * 1024)])
        self.seedr.knobs(read_rate=1024 * 1024)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        part = os.path.join(self.work_dir(job["id"]), "d.bin")
        wait_for(lambda: os.path.exists(part) and os.path.getsize(part) > 0, 30, "the pull to begin")
        self.assertEqual(self.daemon.request("DELETE", "/jobs/" + job["id"]).status, 204)
        wait_for(lambda: self.seedr.stats()["folders"] == 0, 20, "the remote folder removed")
        self.assertEqual([d["type"] for d in self.seedr.stats()["deleted"]], ["folder"])


class SeedrFailureTest(SeedrTest):
    seedr_config = "  stall_timeout_s: 1\n"

    def daemon_config(self):
        return super().daemon_config() + "  retry_max_attempts: 1\n"

    def failed_with(self, job_id):
        done = self.ended(job_id)
        self.assertEqual(done["status"], "failed", done)
        return done["error"]

    def test_a_full_queue_fails_retryably_and_leaves_no_wishlist_entry(self):
        c = self.content("Queued", [("q.bin", 1000)])
        self.seedr.knobs(queue_full=True)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        self.assertIn("queue is full (queue_full_added_to_wishlist)", self.failed_with(job["id"]))
        self.assertEqual(self.daemon.timeline(job["id"], "status")[-1]["reason"], "retries exhausted after 1 attempts")
        stats = self.seedr.stats()
        self.assertEqual((stats["wishlist"], stats["calls"].get("remove_wishlist")), ([], 1))

    def test_not_enough_space_names_used_and_max(self):
        c = self.content("Huge", [("huge.bin", 300 * 1024)])
        self.seedr.knobs(space_max=100 * 1024)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        self.assertIn("not enough space for this torrent (0 of 102400 bytes used)", self.failed_with(job["id"]))
        self.assertEqual(self.seedr.stats()["wishlist"], [])

    def test_a_dead_magnet_fails_after_the_stall_timeout_and_is_removed(self):
        dead = "magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=nobody+seeds+this"
        job = self.daemon.api("POST", "/jobs", {"magnet": dead}, expect=201)
        self.assertIn("made no progress on Seedr for 1 s (at 0 %", self.failed_with(job["id"]))
        stats = self.seedr.stats()
        self.assertEqual((stats["torrents"], [d["type"] for d in stats["deleted"]]), (0, ["torrent"]))

    def test_a_listing_without_sizes_fails_the_job_clearly(self):
        c = self.content("Sizeless", [("s.bin", 1000)])
        self.seedr.knobs(omit_fields=["size"])
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        self.assertIn("lacks the folder_file_id, name or size of a file", self.failed_with(job["id"]))
        # Not retried: retrying cannot mend it.
        self.assertEqual(self.daemon.timeline(job["id"], "status")[-1]["reason"], "failed")

    def test_hostile_names_from_the_service_stay_inside_the_job(self):
        c = self.content("Hostile", [("../../escaped.txt", 100), ("ok.txt", 200)])
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        self.assertEqual(self.ended(job["id"])["status"], "completed")
        self.assertEqual(self.stored_digests(job["id"]),
                         {"Hostile/escaped.txt": c.digest("../../escaped.txt"), "Hostile/ok.txt": c.digest("ok.txt")})
        for root, _, names in os.walk(self.tmp):
            if "escaped.txt" in names:
                self.assertTrue(root.startswith(os.path.join(self.daemon.data_dir, "storage")), root)


class SeedrCredentialsTest(SeedrTest):
    """Wrong credentials in the config: the provider is unhealthy and says why, jobs wait, and a
    device-code login from the CLI brings them back."""

    def daemon_config(self):
        return super().daemon_config().replace("right-password", "wrong-password")

    def test_wrong_credentials_then_a_device_login(self):
        c = self.content("Waiting", [("w.bin", 50 * 1024)])
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        wait_for(lambda: self.daemon.timeline(job["id"], "notice"), 20, "the job's notice")
        notice = self.daemon.timeline(job["id"], "notice")[0]
        self.assertEqual(notice["kind"], "provider_unhealthy")
        self.assertIn("Seedr rejected the account's email and password (Invalid username and password combination)",
                      notice["message"])
        self.assertEqual(self.daemon.job(job["id"])["status"], "metadata_fetch")  # waits, does not fail

        shown = json.loads(self.cli("--json", "admin", "provider", "show").stdout)
        seedr = [p for p in shown["providers"] if p["name"] == "seedr"][0]
        self.assertFalse(seedr["status"]["healthy"])
        self.assertIn("tseeder admin provider login seedr", seedr["status"]["reason"])
        r = self.cli("admin", "provider", "show")
        self.assertIn("seedr: unhealthy: \"Seedr rejected the account's email and password", r.stdout)

        login = subprocess.Popen([os.environ.get("TSEEDER", "tseeder"), "--socket", self.daemon.socket, "admin",
                                  "provider", "login", "seedr"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        try:
            first = login.stdout.readline()
            code = re.search(r"enter the code (\S+)", first).group(1)
            self.assertIn("Open https://www.seedr.cc/devices", first)
            self.seedr.control(approve=code)
            out, err = login.communicate(timeout=30)
        finally:
            if login.poll() is None:
                login.kill()
        self.assertEqual(login.returncode, 0, err)
        self.assertIn("seedr: signed in", out)
        secrets_file = os.path.join(self.daemon.data_dir, "secrets", "seedr.json")
        self.assertEqual(os.stat(secrets_file).st_mode & 0o777, 0o600)

        self.assertEqual(self.ended(job["id"])["status"], "completed")
        self.assertEqual(self.stored_digests(job["id"]), {"w.bin": c.digest("w.bin")})
        shown = json.loads(self.cli("--json", "admin", "provider", "show").stdout)
        seedr = [p for p in shown["providers"] if p["name"] == "seedr"][0]["status"]
        self.assertEqual((seedr["healthy"], seedr["auth"]), (True, "device"))
        self.assertEqual(seedr["account"]["spaceMax"], 50 << 30)
        self.assertIn("bandwidthUsed", seedr["account"])
        r = self.cli("admin", "provider", "show")
        self.assertIn("seedr: healthy; space ", r.stdout)

        # The refresh token survives a restart: the daemon needs no new login.
        with open(secrets_file) as f:
            refresh = json.load(f)["refresh_token"]
        self.daemon.stop()
        self.daemon.start()
        c2 = self.content("After restart", [("r.bin", 1000)])
        job2 = self.daemon.api("POST", "/jobs", {"magnet": c2.magnet}, expect=201)
        self.assertEqual(self.ended(job2["id"])["status"], "completed")

        # No credential or token anywhere users or logs can read.
        leaks = ["wrong-password", refresh]
        texts = [self.daemon.read_log(), self.cli("--json", "admin", "provider", "show").stdout,
                 json.dumps(self.daemon.timeline(job["id"])), json.dumps(self.daemon.timeline(job2["id"])),
                 run_cli("--json", "admin", "audit", "--socket", self.daemon.socket).stdout,
                 subprocess.run([os.environ["TSEEDERD"], "--config", self.daemon.config, "--dump-config"],
                                capture_output=True, text=True).stdout]
        for text in texts:
            for secret in leaks:
                self.assertNotIn(secret, text)


class SeedrProviderSwitchTest(SeedrTest):
    def test_jobs_in_flight_finish_on_seedr_and_new_ones_run_locally(self):
        c = self.content("Long", [("long.bin", 20 * 1024)], duration_s=3)
        job = self.daemon.api("POST", "/jobs", {"magnet": c.magnet}, expect=201)
        wait_for(lambda: self.seedr.stats()["torrents"] == 1, 20, "the torrent on the account")
        r = self.cli("--json", "admin", "provider", "switch", "local", "--reason", "back to our own machines",
                     "--ticket", "OPS-9")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([j["id"] for j in json.loads(r.stdout)["inFlight"]], [job["id"]])
        local = self.daemon.api("POST", "/jobs", {"magnet": "magnet:?xt=urn:btih:" + "cd" * 20}, expect=201)
        self.assertEqual(self.ended(job["id"])["status"], "completed")
        self.assertEqual(self.daemon.job(job["id"])["engine"], "engine-seedr")
        self.assertEqual(self.daemon.job(local["id"])["engine"], "engine-libtorrent")
        self.assertEqual(self.seedr.stats()["calls"]["add_torrent"], 1)
        self.daemon.api("POST", "/jobs/%s/cancel" % local["id"], {}, expect=200)


class SeedrOwnershipTest(SeedrTest):
    def test_another_user_never_sees_or_touches_the_job(self):
        self.add_user("alice@example.com")
        self.add_user("bob@example.com")
        alice, bob = self.api_key_for("alice@example.com"), self.api_key_for("bob@example.com")
        c = self.content("Alice's", [("a.bin", 5000)], duration_s=2)
        r = self.as_key(alice, "POST", "/jobs", {"magnet": c.magnet})
        self.assertEqual(r.status, 201, r.body)
        job_id = r.json()["id"]
        for method, path in [("GET", "/jobs/" + job_id), ("GET", "/jobs/%s/files" % job_id),
                             ("POST", "/jobs/%s/cancel" % job_id), ("DELETE", "/jobs/" + job_id)]:
            self.assertEqual(self.as_key(bob, method, path, {} if method == "POST" else None).status, 404, path)
        self.assertNotIn(job_id, [j["id"] for j in self.as_key(bob, "GET", "/jobs").json()["jobs"]])
        done = wait_for(lambda: (lambda j: j if j["status"] in ("completed", "failed") else None)(
            self.as_key(alice, "GET", "/jobs/" + job_id).json()), 60, "alice's job to end")
        self.assertEqual(done["status"], "completed")
        self.assertEqual([d["type"] for d in self.seedr.stats()["deleted"]], ["folder"])


if __name__ == "__main__":
    unittest.main()
