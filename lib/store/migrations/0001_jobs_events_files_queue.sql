-- Jobs, their event timeline, their stored files and the dispatch queue.
CREATE TABLE jobs (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL,
  source_kind   TEXT NOT NULL CHECK (source_kind IN ('url', 'magnet', 'torrent')),
  source        TEXT NOT NULL,
  engine        TEXT,
  infohash      TEXT,
  name          TEXT,
  status        TEXT NOT NULL CHECK (status IN ('submitted', 'metadata_fetch', 'queued',
                  'downloading', 'uploading', 'completed', 'paused', 'failed', 'cancelled')),
  bytes_total   INTEGER,
  bytes_done    INTEGER NOT NULL DEFAULT 0,
  download_bps  INTEGER NOT NULL DEFAULT 0,
  upload_bps    INTEGER NOT NULL DEFAULT 0,
  peers         INTEGER NOT NULL DEFAULT 0,
  seeds         INTEGER NOT NULL DEFAULT 0,
  eta_s         INTEGER,
  error         TEXT,
  last_seq      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  completed_at  INTEGER
);
CREATE INDEX jobs_by_user_status ON jobs (user_id, status, created_at);

CREATE TABLE job_events (
  job_id     TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  type       TEXT NOT NULL,
  data       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;

CREATE TABLE files (
  id          INTEGER PRIMARY KEY,
  job_id      TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  path        TEXT NOT NULL,
  size_bytes  INTEGER NOT NULL,
  storage_key TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (job_id, path)
);

-- One message per job while it still needs a worker. Deleted when the job no longer needs
-- dispatch (completed, failed for good, paused, cancelled); leased while a worker runs it.
CREATE TABLE queue_messages (
  id              INTEGER PRIMARY KEY,
  job_id          TEXT NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
  idempotency_key TEXT NOT NULL UNIQUE,
  attempts        INTEGER NOT NULL DEFAULT 0,
  available_at    INTEGER NOT NULL,
  leased_by       TEXT,
  leased_until    INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL
);
CREATE INDEX queue_ready ON queue_messages (leased_by, available_at);
