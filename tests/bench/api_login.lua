-- wrk: POST /auth/login over and over with the benchmark admin's password (LOGIN_EMAIL,
-- LOGIN_PASSWORD); each answer costs a password hash on the daemon's KDF threads.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"' .. (os.getenv("LOGIN_EMAIL") or "") .. '","password":"' .. (os.getenv("LOGIN_PASSWORD") or "") .. '"}'
wrk.path = "/auth/login"
