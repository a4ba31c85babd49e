"""The S3 backend against a server that checks every signature (Swift with s3api)."""
import hashlib
import http.client
import io
import os
import shutil
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request
import zipfile

from harness import Daemon, DaemonTest, sha256_file, wait_for
from s3_support import FlakyProxy, SwiftS3, keys_under, pending_uploads, rclone

BUCKET = "tseeder-tests"


def fetch(url, timeout=300):
    """Streams a URL; returns (sha256 hex, size, headers). NAME.localhost goes to 127.0.0.1
    with its Host header kept (Python does not resolve *.localhost)."""
    h = hashlib.sha256()
    size = 0
    u = urllib.parse.urlsplit(url)
    req = urllib.request.Request(url)
    if u.hostname.endswith(".localhost"):
        req = urllib.request.Request(url.replace(u.hostname, "127.0.0.1", 1), headers={"Host": u.netloc})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        while True:
            chunk = r.read(1 << 20)
            if not chunk:
                break
            h.update(chunk)
            size += len(chunk)
        return h.hexdigest(), size, dict(r.headers)


class S3Case(DaemonTest):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="tseeder-s3-")
        cls.swift = SwiftS3(cls.root).start()
        rclone(cls.swift.endpoint, "mkdir", "sw:" + BUCKET)

    @classmethod
    def tearDownClass(cls):
        cls.swift.stop()
        shutil.rmtree(cls.root, True)

    def start_daemon(self, endpoint=None, secret="testing", path_style=True, part_mib=16, concurrency=4,
                     max_attempts=5):
        conf = os.path.join(self.tmp, "tseederd.yaml")
        with open(conf, "w") as f:
            f.write("storage:\n  backend: s3\n  s3:\n    endpoint: %s\n    bucket: %s\n    path_style: %s\n"
                    "    part_size_mib: %d\n    concurrency: %d\n    max_attempts: %d\nscan:\n  enabled: false\n"
                    % (endpoint or self.swift.endpoint, BUCKET, "true" if path_style else "false", part_mib,
                       concurrency, max_attempts))
        # Keys from the environment, as an operator would keep them out of the file.
        os.environ["TSEEDER_S3_ACCESS_KEY"] = "test:tester"
        os.environ["TSEEDER_S3_SECRET_KEY"] = secret
        try:
            self.daemon = Daemon(os.path.join(self.tmp, "var"), config=conf)
            self.daemon.start()
        finally:
            del os.environ["TSEEDER_S3_ACCESS_KEY"], os.environ["TSEEDER_S3_SECRET_KEY"]

    def add_job(self, name):
        return self.daemon.api("POST", "/jobs", {"url": self.http.url(name)}, expect=201)["id"]

    def link(self, job_id, file_id, expires=None):
        q = "?expiresIn=%d" % expires if expires else ""
        return self.daemon.api("GET", "/jobs/%s/files/%d/url%s" % (job_id, file_id, q), expect=200)["url"]

    def presigned(self, link):
        """Where the daemon's link sends a client: a short presigned URL of the bucket."""
        self.assertTrue(link.startswith(self.daemon.url + "/dl/"), link)
        r = self.daemon.request("GET", urllib.parse.urlsplit(link).path, auth=False)
        self.assertEqual(r.status, 302, r.body)
        self.assertIn("X-Amz-Signature=", r.headers["Location"])
        self.assertIn("X-Amz-Expires=300", r.headers["Location"])
        return r.headers["Location"]

    def stored(self, job_id):
        return [f for f in self.daemon.api("GET", "/jobs/%s/files" % job_id, expect=200)["files"] if f["id"]]


class S3RoundTripTest(S3Case):
    def test_one_gigabyte_multipart_upload_round_trips(self):
        self.start_daemon()
        src = self.add_file("big.bin", 1024 * 1024 * 1024)
        job_id = self.add_job("big.bin")
        self.daemon.wait_status(job_id, "completed", timeout=900)
        prefix = "local/%s/" % job_id
        self.assertEqual(keys_under(self.swift.endpoint, BUCKET, prefix), ["files/big.bin", "metadata.json"])
        # The daemon's link sends the client to a presigned URL that Swift serves, byte for byte.
        (f,) = self.stored(job_id)
        url = self.presigned(self.link(job_id, f["id"]))
        self.assertTrue(url.startswith(self.swift.endpoint + "/" + BUCKET + "/" + prefix + "files/big.bin?"))
        digest, size, headers = fetch(url)
        self.assertEqual(size, 1024 * 1024 * 1024)
        self.assertEqual(digest, sha256_file(src))
        self.assertIn('filename="big.bin"', headers.get("Content-Disposition", ""))
        # Nothing is left in the work dir once stored.
        self.assertFalse(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job_id)))


class S3BehaviourTest(S3Case):
    def test_wrong_secret_fails_naming_signature_does_not_match(self):
        self.start_daemon(secret="not-the-secret")
        self.add_file("f.bin", 1024 * 1024)
        job_id = self.add_job("f.bin")
        job = self.daemon.wait_status(job_id, "failed", timeout=120)
        self.assertIn("SignatureDoesNotMatch", job["error"])
        # The bucket check made at start says so too (it runs beside start-up, not in its way).
        wait_for(lambda: "SignatureDoesNotMatch" in self.daemon.read_log(), 30, "the start-up bucket check")
        log = self.daemon.read_log()
        self.assertIn("SignatureDoesNotMatch", log)
        self.assertNotIn("not-the-secret", log)
        # The download is kept: with the right key a retry only uploads.
        self.assertTrue(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job_id, "f.bin")))

    def test_links_redirects_cli_and_delete(self):
        self.start_daemon()
        src = self.add_file("dir/clip one.bin", 3 * 1024 * 1024 + 5)
        job_id = self.add_job("dir/clip%20one.bin")
        self.daemon.wait_status(job_id, "completed", timeout=120)
        (f,) = self.stored(job_id)
        link = self.link(job_id, f["id"], expires=120)
        digest, size, _ = fetch(link)  # through the redirect
        self.assertEqual(digest, sha256_file(src))
        url = self.presigned(link)
        # A changed signature or path is refused by the server.
        tampered = url.replace("X-Amz-Expires=300", "X-Amz-Expires=99999")
        with self.assertRaises(urllib.error.HTTPError) as cm:
            fetch(tampered)
        self.assertEqual(cm.exception.code, 403)
        # The owner's content route and /dl links send the client to the bucket.
        r = self.daemon.request("GET", "/jobs/%s/files/%d/content" % (job_id, f["id"]))
        self.assertEqual(r.status, 302)
        self.assertTrue(r.headers["Location"].startswith(self.swift.endpoint + "/"))
        # A zip is made by the daemon from ranged GETs, several per file.
        z = self.daemon.request("GET", "/jobs/%s/zip" % job_id)
        self.assertEqual(z.status, 200, z.body[:200])
        self.assertEqual(int(z.headers["Content-Length"]), len(z.body))
        archive = zipfile.ZipFile(io.BytesIO(z.body))
        self.assertIsNone(archive.testzip(), "every CRC checks out")
        self.assertEqual(archive.namelist(), [f["path"]])
        self.assertEqual(hashlib.sha256(archive.read(f["path"])).hexdigest(), sha256_file(src))
        # tseeder get follows the presigned link, without sending the user's key there.
        out = os.path.join(self.tmp, "out")
        r = self.cli("get", job_id, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        got = [os.path.join(d, n) for d, _, ns in os.walk(out) for n in ns]
        self.assertEqual(len(got), 1)
        self.assertEqual(sha256_file(got[0]), sha256_file(src))
        # Deleting the job deletes its objects.
        prefix = "local/%s/" % job_id
        self.assertEqual(len(keys_under(self.swift.endpoint, BUCKET, prefix)), 2)
        self.daemon.api("DELETE", "/jobs/" + job_id, expect=204)
        wait_for(lambda: keys_under(self.swift.endpoint, BUCKET, prefix) == [], 60, "the job's objects to go")

    def test_a_zip_whose_object_vanished_ends_short_and_says_so(self):
        self.start_daemon()
        self.add_file("gone.bin", 2 * 1024 * 1024)
        job_id = self.add_job("gone.bin")
        self.daemon.wait_status(job_id, "completed", timeout=120)
        rclone(self.swift.endpoint, "deletefile", "sw:%s/local/%s/files/gone.bin" % (BUCKET, job_id))
        # The length went out with the headers; the connection closes short of it rather than
        # leaving the client waiting.
        with self.assertRaises(http.client.IncompleteRead):
            self.daemon.request("GET", "/jobs/%s/zip" % job_id)
        wait_for(lambda: "a zip download ended early" in self.daemon.read_log(), 10, "the early end to be logged")
        # The CLI says so and leaves no file that could pass for the zip.
        out = os.path.join(self.tmp, "gone.zip")
        c = self.cli("get", job_id, "--zip", out)
        self.assertNotEqual(c.returncode, 0)
        self.assertIn("stopped at", c.stderr)
        self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith("gone.zip")], [])
        self.assertIn("404", self.daemon.read_log())
        self.assertEqual(self.daemon.request("GET", "/health").status, 200)

    def test_virtual_host_style_addressing(self):
        port = urllib.parse.urlsplit(self.swift.endpoint).port
        self.start_daemon(endpoint="http://localhost:%d" % port, path_style=False)
        src = self.add_file("v.bin", 6 * 1024 * 1024)
        job_id = self.add_job("v.bin")
        self.daemon.wait_status(job_id, "completed", timeout=120)
        (f,) = self.stored(job_id)
        url = self.presigned(self.link(job_id, f["id"]))
        self.assertTrue(url.startswith("http://%s.localhost:%d/local/" % (BUCKET, port)), url)
        self.assertEqual(fetch(url)[0], sha256_file(src))

    def test_parts_refused_with_slowdown_are_retried(self):
        proxy = FlakyProxy(self.tmp, urllib.parse.urlsplit(self.swift.endpoint).port)
        self.addCleanup(proxy.stop)
        self.start_daemon(endpoint=proxy.endpoint, part_mib=5, concurrency=3)
        src = self.add_file("p.bin", 32 * 1024 * 1024)  # 7 parts of 5 MiB
        job_id = self.add_job("p.bin")
        self.daemon.wait_status(job_id, "completed", timeout=180)
        self.assertEqual(proxy.stats()["failed"], 7)  # every part failed once and was sent again
        (f,) = self.stored(job_id)
        self.assertEqual(fetch(self.link(job_id, f["id"]))[0], sha256_file(src))

    def test_cancel_during_upload_aborts_the_multipart_upload(self):
        proxy = FlakyProxy(self.tmp, urllib.parse.urlsplit(self.swift.endpoint).port)
        self.addCleanup(proxy.stop)
        # One part at a time, each refused once first: the upload lasts long enough to cancel.
        self.start_daemon(endpoint=proxy.endpoint, part_mib=5, concurrency=1)
        self.add_file("c.bin", 200 * 1024 * 1024)
        job_id = self.add_job("c.bin")
        self.daemon.wait_status(job_id, "uploading", timeout=120)
        wait_for(lambda: proxy.stats()["failed"] >= 2, 60, "parts to be on their way")
        self.daemon.api("POST", "/jobs/%s/cancel" % job_id, expect=200)
        wait_for(lambda: pending_uploads(self.swift.endpoint, BUCKET) == [], 60, "the multipart upload to be aborted")
        wait_for(lambda: keys_under(self.swift.endpoint, BUCKET, "local/%s/" % job_id) == [], 60,
                 "no object of the cancelled job")
        self.assertEqual(self.daemon.job(job_id)["status"], "cancelled")

    def test_parts_that_keep_failing_abort_the_upload_and_keep_the_download(self):
        proxy = FlakyProxy(self.tmp, urllib.parse.urlsplit(self.swift.endpoint).port, always=True)
        self.addCleanup(proxy.stop)
        self.start_daemon(endpoint=proxy.endpoint, part_mib=5, concurrency=2, max_attempts=2)
        self.add_file("k.bin", 12 * 1024 * 1024)
        job_id = self.add_job("k.bin")

        def retry_scheduled():
            job = self.daemon.job(job_id)
            return job if job["status"] == "queued" and job["progress"]["bytesDone"] > 0 else None
        wait_for(retry_scheduled, 120, "the failed upload to wait for its retry")
        self.assertEqual(pending_uploads(self.swift.endpoint, BUCKET), [])
        self.assertEqual(keys_under(self.swift.endpoint, BUCKET, "local/%s/" % job_id), [])
        self.assertTrue(os.path.exists(os.path.join(self.daemon.data_dir, "downloads", job_id, "k.bin")))


if __name__ == "__main__":
    unittest.main()
