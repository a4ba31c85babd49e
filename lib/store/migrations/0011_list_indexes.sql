-- Every list reads its rows in its own order straight from an index, from the position the page
-- starts at (store/cursor.h): no page sorts, and none walks the rows before it.

-- A user's jobs newest first, with or without a status.
DROP INDEX jobs_by_user_status;
CREATE INDEX jobs_by_user_status ON jobs (user_id, status, created_at, id);
CREATE INDEX jobs_by_user_created ON jobs (user_id, created_at, id);

-- Accounts oldest first, with or without a role.
CREATE INDEX users_by_created ON users (created_at, id);
CREATE INDEX users_by_role ON users (role, created_at, id);

-- The audit log newest first by one action (by actor and target: audit_by_actor, audit_by_target).
CREATE INDEX audit_by_action ON audit_log (action, id);

-- The dead-letter list and the blocklist newest first.
DROP INDEX dead_letters_by_time;
CREATE INDEX dead_letters_by_time ON dead_letters (dead_at, job_id);
CREATE INDEX blocklist_by_time ON blocklist (created_at, infohash);
