-- Jobs whose retryable failures used up every attempt: staff look at them here and replay them.
-- A row goes when the job is retried, replayed or deleted.
CREATE TABLE dead_letters (
  job_id     TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
  attempts   INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  dead_at    INTEGER NOT NULL
);
CREATE INDEX dead_letters_by_time ON dead_letters (dead_at);
