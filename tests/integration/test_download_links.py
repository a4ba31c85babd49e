"""Signed, expiring download links: anyone with the link gets the file (with Range and ETag and
a safe Content-Disposition) until it expires; a changed or expired link is 403; the token never
reaches the log; tseeder url and tseeder get use them."""
import json
import os
import time
import unittest
import urllib.parse

from harness import DaemonTest, run_cli, sha256_file


class DownloadLinkTest(DaemonTest):
    def setUp(self):
        super().setUp()
        self.daemon.start()
        # A name with non-ASCII, a semicolon and spaces, taken from the URL.
        self.src = self.add_file("data/rép; x.bin", 300_000)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url(urllib.parse.quote("data/rép; x.bin"))},
                              expect=201)
        self.job = self.daemon.wait_status(job["id"], "completed", timeout=30)["id"]
        self.file = self.daemon.api("GET", "/jobs/%s/files" % self.job, expect=200)["files"][0]

    def link(self, **query):
        q = ("?" + urllib.parse.urlencode(query)) if query else ""
        body = self.daemon.api("GET", "/jobs/%s/files/%d/url%s" % (self.job, self.file["id"], q), expect=200)
        return body, urllib.parse.urlsplit(body["url"]).path

    def test_a_link_serves_the_file_without_credentials(self):
        body, path = self.link()
        self.assertTrue(body["url"].startswith(self.daemon.url + "/dl/"), body["url"])
        self.assertAlmostEqual(body["expiresAt"] / 1000, time.time() + 3600, delta=60)
        r = self.daemon.request("GET", path, auth=False)
        self.assertEqual(r.status, 200)
        with open(self.src, "rb") as f:
            whole = f.read()
        self.assertEqual(r.body, whole)
        cd = r.headers["Content-Disposition"]
        self.assertEqual(cd, "attachment; filename=\"r__p; x.bin\"; filename*=UTF-8''r%C3%A9p%3B%20x.bin")
        etag = r.headers["ETag"]
        r = self.daemon.request("GET", path, headers={"Range": "bytes=1000-1999", "If-Range": etag}, auth=False)
        self.assertEqual(r.status, 206)
        self.assertEqual(r.body, whole[1000:2000])
        self.assertEqual(r.headers["Content-Range"], "bytes 1000-1999/300000")

    def test_changed_or_expired_links_are_refused(self):
        _, path = self.link()
        token = path[len("/dl/"):]
        job, file_id, expires, sig = token.split(".")
        other_sig = sig[:-1] + ("A" if sig[-1] != "A" else "B")
        for bad in (".".join([job, file_id, expires, other_sig]),
                    ".".join([job, file_id, str(int(expires) + 3600), sig]),
                    ".".join([job, str(int(file_id) + 1), expires, sig]),
                    ".".join(["0" * 16, file_id, expires, sig]),
                    "garbage", token + "x"):
            r = self.daemon.request("GET", "/dl/" + bad, auth=False)
            self.assertEqual(r.status, 403, bad)
            self.assertIn("not valid", r.body.decode())
        _, short = self.link(expiresIn=1)
        self.assertEqual(self.daemon.request("GET", short, auth=False).status, 200)
        deadline = int(short.split(".")[2])
        # Expiry is the behaviour under test: wait until the link's second has passed.
        time.sleep(max(0.0, deadline + 0.2 - time.time()))
        r = self.daemon.request("GET", short, auth=False)
        self.assertEqual(r.status, 403)
        self.assertIn("expired", r.body.decode())
        # The token is a credential: the log shows the route only.
        self.daemon.stop()
        with open(self.daemon.log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        self.assertIn('"/dl/…"', log)
        self.assertNotIn(token, log)
        self.assertNotIn(short.split(".")[3], log)

    def test_no_spelling_of_a_link_puts_its_token_in_the_log(self):
        _, path = self.link()
        token = path[len("/dl/"):]
        signature = token.split(".")[3]
        for spelled in ("//dl/" + token, "/dl%2F" + token, "/dl%252F" + token, "/%64l/" + token, "/DL/" + token,
                        "/x/../dl/" + token, "/dl/" + token + "/more", "/dl;" + token, "/./dl/" + token):
            r = self.daemon.request("GET", spelled, auth=False)
            self.assertIn(r.status, (200, 403, 404), spelled)
        self.daemon.stop()
        with open(self.daemon.log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        self.assertNotIn(signature, log)
        self.assertNotIn(signature.lower(), log.lower())

    def test_a_latin1_name_from_a_server_becomes_valid_utf8(self):
        # Python's http.server sends header values as Latin-1: 'é' arrives as the byte 0xE9.
        name = urllib.parse.quote("café.bin")
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("cd/%s/data/r%%C3%%A9p%%3B%%20x.bin" % name)},
                              expect=201)
        done = self.daemon.wait_status(job["id"], ["completed", "failed"], timeout=30)
        self.assertEqual(done["status"], "completed", done.get("error"))
        self.assertEqual(done["name"], "caf_.bin")

    def test_links_die_with_the_job(self):
        _, path = self.link()
        self.daemon.api("DELETE", "/jobs/" + self.job, expect=204)
        self.assertEqual(self.daemon.request("GET", path, auth=False).status, 403)

    def test_cli_url_and_get(self):
        r = self.cli("url", self.job)
        self.assertEqual(r.returncode, 0, r.stderr)
        url, name = r.stdout.strip().split("  ", 1)
        self.assertEqual(name, self.file["path"])
        self.assertEqual(self.daemon.request("GET", urllib.parse.urlsplit(url).path, auth=False).status, 200)
        r = self.cli("--json", "url", self.job, str(self.file["id"]), "--expires", "120")
        link = json.loads(r.stdout)["links"][0]
        self.assertAlmostEqual(link["expiresAt"] / 1000, time.time() + 120, delta=30)
        self.assertEqual(self.cli("url", self.job, "no-such-file").returncode, 3)
        out = os.path.join(self.tmp, "out")
        r = self.cli("get", self.job, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sha256_file(os.path.join(out, self.file["path"])), sha256_file(self.src))


if __name__ == "__main__":
    unittest.main()
