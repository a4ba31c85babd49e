-- The pipeline after a download: 'scanning' joins the states, and a job remembers what its
-- engine finished (so a failed scan or upload resumes there instead of downloading again) and
-- what the virus scan found. SQLite cannot change a CHECK constraint in place, so the table is
-- rebuilt; migrations run with foreign keys off, so dependent rows stay.
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
                       'cancelled')),
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
  -- JSON array of {"path", "size"} relative to the work dir, set when the engine finished.
  downloaded_files   TEXT,
  scan_status        TEXT CHECK (scan_status IN ('clean', 'infected', 'error', 'skipped')),
  scan_detail        TEXT
);
INSERT INTO jobs_new (id, user_id, source_kind, source, engine, infohash, name, status, bytes_total,
  bytes_done, download_bps, upload_bps, peers, seeds, eta_s, error, last_seq, created_at, updated_at,
  completed_at, sequential, download_limit_bps, upload_limit_bps, initial_files)
SELECT id, user_id, source_kind, source, engine, infohash, name, status, bytes_total,
  bytes_done, download_bps, upload_bps, peers, seeds, eta_s, error, last_seq, created_at, updated_at,
  completed_at, sequential, download_limit_bps, upload_limit_bps, initial_files FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_by_user_status ON jobs (user_id, status, created_at);
CREATE INDEX jobs_by_user_infohash ON jobs (user_id, infohash) WHERE infohash IS NOT NULL;
