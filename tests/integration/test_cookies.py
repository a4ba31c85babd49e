"""Session cookies that standard clients keep: over plain http the cookie has a plain name (a
__Host- cookie without Secure is dropped by browsers and curl's cookie jar), behind https it is
__Host- and Secure; CSRF stays as it is."""
import json
import os
import subprocess
import unittest

from accounts_support import PASSWORD, AccountsCase


class CurlJarTest(AccountsCase):
    def curl(self, *args):
        r = subprocess.run(["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "20"] + list(args),
                           capture_output=True, text=True, timeout=30)
        body, _, code = r.stdout.rpartition("\n")
        return int(code), body

    def test_curl_keeps_the_session_cookie_and_csrf_still_applies(self):
        self.add_user("jar@example.com")
        jar = os.path.join(self.tmp, "cookies.txt")
        login = json.dumps({"email": "jar@example.com", "password": PASSWORD})
        code, body = self.curl("-c", jar, "-H", "Content-Type: application/json", "--data", login,
                               self.daemon.url + "/auth/login")
        self.assertEqual(code, 200, body)
        csrf = json.loads(body)["csrfToken"]
        code, body = self.curl("-b", jar, self.daemon.url + "/auth/me")
        self.assertEqual(code, 200, body)
        self.assertEqual(json.loads(body)["user"]["email"], "jar@example.com")
        self.add_file("j.bin", 100)
        job = json.dumps({"url": self.http.url("j.bin")})
        code, body = self.curl("-b", jar, "-H", "Content-Type: application/json", "--data", job,
                               self.daemon.url + "/jobs")
        self.assertEqual(code, 403, body)
        self.assertIn("X-CSRF-Token", body)
        code, body = self.curl("-b", jar, "-H", "Content-Type: application/json", "-H", "X-CSRF-Token: " + csrf,
                               "--data", job, self.daemon.url + "/jobs")
        self.assertEqual(code, 201, body)
        code, _ = self.curl("-b", jar, "-c", jar, "-X", "POST", "-H", "X-CSRF-Token: " + csrf,
                            self.daemon.url + "/auth/logout")
        self.assertEqual(code, 200)
        self.assertEqual(self.curl("-b", jar, self.daemon.url + "/auth/me")[0], 401)


class HttpsCookieTest(AccountsCase):
    """Behind a TLS proxy (auth.public_url https://…) the cookie is __Host- and Secure."""
    public_url = "https://seedbox.example"

    def test_the_cookie_is_host_prefixed_and_secure(self):
        self.add_user("tls@example.com")
        r = self.daemon.request("POST", "/auth/login", {"email": "tls@example.com", "password": PASSWORD}, auth=False)
        self.assertEqual(r.status, 200, r.body)
        cookie = r.headers["Set-Cookie"]
        self.assertTrue(cookie.startswith("__Host-tseeder_session="), cookie)
        for attr in ("Secure", "Path=/", "HttpOnly", "SameSite=Strict"):
            self.assertIn(attr, cookie)
        self.assertNotIn("Domain", cookie)
        me = self.daemon.request("GET", "/auth/me", headers={"Cookie": cookie.split(";")[0]})
        self.assertEqual(me.status, 200, me.body)
        plain = "tseeder_session=" + cookie.split(";")[0].split("=", 1)[1]
        self.assertEqual(self.daemon.request("GET", "/auth/me", headers={"Cookie": plain}).status, 401)


if __name__ == "__main__":
    unittest.main()
