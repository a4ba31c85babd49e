-- Settings staff change while the daemon runs (the provider of torrent jobs first), and every
-- change to them: a version, old and new value, who, why, under which ticket, when.
CREATE TABLE runtime_settings (
  key     TEXT PRIMARY KEY,
  value   TEXT NOT NULL,
  version INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE setting_changes (
  version    INTEGER PRIMARY KEY,
  key        TEXT NOT NULL,
  old_value  TEXT,
  new_value  TEXT NOT NULL,
  actor_id   TEXT,
  reason     TEXT NOT NULL,
  ticket_id  TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX setting_changes_by_key ON setting_changes (key, version);
