-- Accounts: plans, users, sessions, API keys, emailed tokens and the append-only audit log.
-- Times are Unix epoch milliseconds, as in the jobs tables.

-- The plans of the seed table. NULL means no limit (Enterprise limits are set per customer).
-- Sizes are decimal (1 GB = 10^9 bytes), as the plans are sold.
CREATE TABLE plans (
  id                    TEXT PRIMARY KEY,
  name                  TEXT NOT NULL,
  max_active_jobs       INTEGER,
  storage_bytes         INTEGER,
  max_file_bytes        INTEGER,
  bandwidth_bytes_month INTEGER,
  retention_days        INTEGER,
  max_sessions          INTEGER
);
INSERT INTO plans VALUES
  ('free',       'Free',       2,    5000000000,       500000000,   50000000000,    7,    2),
  ('pro',        'Pro',        10,   50000000000,      5000000000,  500000000000,   30,   5),
  ('business',   'Business',   50,   500000000000,     25000000000, 5000000000000,  90,   10),
  ('enterprise', 'Enterprise', NULL, NULL,             NULL,        NULL,           NULL, NULL);

CREATE TABLE users (
  id               TEXT PRIMARY KEY,
  email            TEXT UNIQUE COLLATE NOCASE,  -- NULL only for the built-in operator
  password_hash    TEXT,                        -- NULL: cannot log in with a password
  role             TEXT NOT NULL DEFAULT 'user'
                     CHECK (role IN ('user', 'support', 'admin', 'superadmin')),
  plan             TEXT NOT NULL DEFAULT 'free' REFERENCES plans (id),
  email_verified   INTEGER NOT NULL DEFAULT 0,
  aup_accepted_at  INTEGER,
  suspended_at     INTEGER,
  suspended_reason TEXT,
  failed_logins    INTEGER NOT NULL DEFAULT 0,
  locked_until     INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
-- The operator reached over the Unix socket by root or the daemon's own user. It has no
-- email and no password, so nobody can log in as it; jobs made before accounts are its own.
INSERT INTO users (id, email, role, plan, email_verified, created_at, updated_at)
  VALUES ('local', NULL, 'superadmin', 'enterprise', 1, 0, 0);

CREATE TABLE sessions (
  id             TEXT PRIMARY KEY,           -- shown to the user; not the secret
  user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash     TEXT NOT NULL UNIQUE,       -- SHA-256 of the cookie value
  csrf_token     TEXT NOT NULL,
  ip             TEXT,
  user_agent     TEXT,
  created_at     INTEGER NOT NULL,
  last_seen_at   INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,           -- absolute expiry
  revoked_at     INTEGER,
  revoked_reason TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id, revoked_at);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  prefix       TEXT NOT NULL UNIQUE,         -- public part of the key, for lookup and listing
  secret_hash  TEXT NOT NULL,                -- SHA-256 of the secret part
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  expires_at   INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_keys_by_user ON api_keys (user_id);

-- Single-use tokens sent by email: address verification and password reset.
CREATE TABLE email_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX email_tokens_by_user ON email_tokens (user_id, purpose);

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  at         TEXT NOT NULL,                  -- UTC, ISO 8601 with milliseconds
  actor_id   TEXT,                           -- NULL: anonymous
  actor_role TEXT,
  action     TEXT NOT NULL,
  target     TEXT,                           -- "job:ID", "user:ID", "session:ID", …
  ip         TEXT,
  request_id TEXT,
  detail     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_actor ON audit_log (actor_id, id);
CREATE INDEX audit_by_target ON audit_log (target, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
