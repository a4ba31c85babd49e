-- What the user chose for a job: order, rate limits and which files to fetch.
ALTER TABLE jobs ADD COLUMN sequential INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN download_limit_bps INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN upload_limit_bps INTEGER NOT NULL DEFAULT 0;
-- File indexes chosen at creation (JSON array), applied when the file list arrives; NULL = all.
ALTER TABLE jobs ADD COLUMN initial_files TEXT;

-- The job's file list from its metadata, with each file's priority on libtorrent's scale
-- (0 = skip, 1 = low, 4 = normal, 7 = high).
CREATE TABLE job_contents (
  job_id     TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  idx        INTEGER NOT NULL,
  path       TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  priority   INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 7),
  PRIMARY KEY (job_id, idx)
) WITHOUT ROWID;
