-- Plans in force. A job may now end 'expired' (its plan's retention passed and its files were
-- swept), fail with a machine-readable code (QUOTA_*, BLOCKED), and follow the download of
-- another job for the same content instead of fetching it twice. The CHECK changes, so the
-- table is rebuilt as in 0005 (foreign keys are off while migrations run).
CREATE TABLE jobs_new (
  id                 TEXT PRIMARY KEY,
  user_id            TEXT NOT NULL,
  source_kind        TEXT NOT NULL CHECK (source_kind IN ('url', 'magnet', 'torrent')),
  source             TEXT NOT NULL,
  engine             TEXT,
  infohash           TEXT,
  name               TEXT,
  status             TEXT NOT NULL CHECK (status IN ('submitted', 'metadata_fetch', 'queued',
                       'downloading', 'scanning', 'uploading', 'completed', 'paused', 'failed',
                       'cancelled', 'expired')),
  bytes_total        INTEGER,
  bytes_done         INTEGER NOT NULL DEFAULT 0,
  download_bps       INTEGER NOT NULL DEFAULT 0,
  upload_bps         INTEGER NOT NULL DEFAULT 0,
  peers              INTEGER NOT NULL DEFAULT 0,
  seeds              INTEGER NOT NULL DEFAULT 0,
  eta_s              INTEGER,
  error              TEXT,
  last_seq           INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  completed_at       INTEGER,
  sequential         INTEGER NOT NULL DEFAULT 0,
  download_limit_bps INTEGER NOT NULL DEFAULT 0,
  upload_limit_bps   INTEGER NOT NULL DEFAULT 0,
  initial_files      TEXT,
  downloaded_files   TEXT,
  scan_status        TEXT CHECK (scan_status IN ('clean', 'infected', 'error', 'skipped')),
  scan_detail        TEXT,
  -- Why a failed job failed, for scripts: QUOTA_FILE_SIZE, QUOTA_STORAGE, BLOCKED; NULL otherwise.
  error_code         TEXT,
  -- The job whose download this one shares (same content, another owner); NULL when it runs itself.
  follows            TEXT,
  -- What names the content across owners: the infohash, or "url <URL> <size>" once a URL's size
  -- is known. Completed jobs are found by it for instant availability.
  content_key        TEXT
);
INSERT INTO jobs_new (id, user_id, source_kind, source, engine, infohash, name, status, bytes_total,
  bytes_done, download_bps, upload_bps, peers, seeds, eta_s, error, last_seq, created_at, updated_at,
  completed_at, sequential, download_limit_bps, upload_limit_bps, initial_files, downloaded_files,
  scan_status, scan_detail, content_key)
SELECT id, user_id, source_kind, source, engine, infohash, name, status, bytes_total,
  bytes_done, download_bps, upload_bps, peers, seeds, eta_s, error, last_seq, created_at, updated_at,
  completed_at, sequential, download_limit_bps, upload_limit_bps, initial_files, downloaded_files,
  scan_status, scan_detail, infohash FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_by_user_status ON jobs (user_id, status, created_at);
CREATE INDEX jobs_by_user_infohash ON jobs (user_id, infohash) WHERE infohash IS NOT NULL;
CREATE INDEX jobs_by_content ON jobs (content_key, status) WHERE content_key IS NOT NULL;
CREATE INDEX jobs_by_leader ON jobs (follows) WHERE follows IS NOT NULL;
CREATE INDEX jobs_by_status_completed ON jobs (status, completed_at);

-- Stored objects are shared between jobs of the same content: an object lives while any files
-- row names its key.
CREATE INDEX files_by_key ON files (storage_key);

-- Bytes of stored files served to anyone, per owner and calendar month (UTC, "2026-11").
CREATE TABLE bandwidth_usage (
  user_id TEXT NOT NULL,
  month   TEXT NOT NULL,
  bytes   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, month)
) WITHOUT ROWID;

-- Content nobody may fetch through this daemon, by infohash (v1 SHA-1 or v2 SHA-256, hex).
CREATE TABLE blocklist (
  infohash   TEXT PRIMARY KEY,
  reason     TEXT NOT NULL,
  added_by   TEXT,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Each run of the storage sweeper: retention expiry and orphan removal.
CREATE TABLE storage_sweeps (
  id             INTEGER PRIMARY KEY,
  started_at     INTEGER NOT NULL,
  finished_at    INTEGER,
  trigger        TEXT NOT NULL CHECK (trigger IN ('schedule', 'admin')),
  actor_id       TEXT,
  reason         TEXT,
  ticket_id      TEXT,
  dry_run        INTEGER NOT NULL DEFAULT 0,
  expired_jobs   INTEGER NOT NULL DEFAULT 0,
  orphan_objects INTEGER NOT NULL DEFAULT 0,
  orphan_rows    INTEGER NOT NULL DEFAULT 0,
  bytes_freed    INTEGER NOT NULL DEFAULT 0,
  error          TEXT
);
