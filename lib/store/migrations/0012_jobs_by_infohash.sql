-- Dedup looks content up by its key or its infohash across every owner: both need an index of
-- their own, or the lookup walks every completed job (store/job_repo.cc, stored_content).
CREATE INDEX jobs_by_infohash ON jobs (infohash) WHERE infohash IS NOT NULL;
