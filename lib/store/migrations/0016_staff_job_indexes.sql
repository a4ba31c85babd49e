-- Staff list every user's jobs newest first, optionally by state or engine (GET /admin/jobs):
-- each filter walks an index in the list's order from its cursor on.
CREATE INDEX jobs_by_created ON jobs (created_at, id);
CREATE INDEX jobs_by_status_created ON jobs (status, created_at, id);
CREATE INDEX jobs_by_engine_created ON jobs (engine, created_at, id);
