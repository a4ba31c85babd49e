-- Finding a user's job for an infohash (idempotent re-adds, later dedup).
CREATE INDEX jobs_by_user_infohash ON jobs (user_id, infohash) WHERE infohash IS NOT NULL;
