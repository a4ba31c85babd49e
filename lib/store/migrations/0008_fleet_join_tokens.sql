-- Join tokens let a new agent register with the controller once. Only a hash of the secret is
-- kept; a token is spent by its first use and useless after expires_at.
CREATE TABLE fleet_join_tokens (
  id            TEXT PRIMARY KEY,
  secret_hash   TEXT NOT NULL UNIQUE,
  note          TEXT,
  created_by    TEXT,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  used_at       INTEGER,
  used_by_agent TEXT
);
CREATE INDEX fleet_join_tokens_by_time ON fleet_join_tokens (created_at);
