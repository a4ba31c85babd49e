-- Agents registered with this controller and the jobs handed to them. An agent's secret is not
-- stored: it is derived from the controller's fleet key and the agent's id.
CREATE TABLE fleet_agents (
  id                TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  state             TEXT NOT NULL DEFAULT 'active',  -- active | draining | removed
  version           TEXT NOT NULL,
  capabilities      TEXT NOT NULL,                   -- JSON as last reported
  max_jobs          INTEGER NOT NULL,
  score             INTEGER NOT NULL,                -- measured throughput, MiB/s
  boot_id           TEXT,
  active_jobs       INTEGER NOT NULL DEFAULT 0,      -- as last reported
  last_heartbeat_at INTEGER,
  last_event_seq    INTEGER NOT NULL DEFAULT 0,
  registered_at     INTEGER NOT NULL,
  join_token_id     TEXT
);

-- One row per job running on an agent. `token` names the assignment: events of an earlier one
-- are ignored. `version` grows with the job's settings; `sent_version` is what the agent got.
CREATE TABLE fleet_assignments (
  job_id       TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  agent_id     TEXT NOT NULL REFERENCES fleet_agents(id),
  token        TEXT NOT NULL,
  phase        TEXT NOT NULL DEFAULT 'downloading',  -- downloading | finishing | seeding
  command      TEXT NOT NULL,                        -- the assignment as sent, JSON
  version      INTEGER NOT NULL DEFAULT 1,
  sent_version INTEGER NOT NULL DEFAULT 0,
  assigned_at  INTEGER NOT NULL,
  sent_at      INTEGER
);
CREATE INDEX fleet_assignments_by_agent ON fleet_assignments (agent_id);
