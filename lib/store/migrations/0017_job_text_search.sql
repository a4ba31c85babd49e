-- Staff search finds jobs by any part of their name or source (GET /admin/search): a trigram
-- index of both, kept by triggers. It names jobs by rowid, so anything that rebuilds the jobs
-- table (or a VACUUM, which may renumber its rowids) must end with the 'rebuild' below; the
-- search checks every match against the row it names, so a stale entry is missed, never wrong.
CREATE VIRTUAL TABLE jobs_text USING fts5(name, source, content='jobs', content_rowid='rowid', tokenize='trigram');
INSERT INTO jobs_text(jobs_text) VALUES ('rebuild');
CREATE TRIGGER jobs_text_insert AFTER INSERT ON jobs BEGIN
  INSERT INTO jobs_text(rowid, name, source) VALUES (new.rowid, new.name, new.source);
END;
CREATE TRIGGER jobs_text_delete AFTER DELETE ON jobs BEGIN
  INSERT INTO jobs_text(jobs_text, rowid, name, source) VALUES ('delete', old.rowid, old.name, old.source);
END;
CREATE TRIGGER jobs_text_update AFTER UPDATE OF name, source ON jobs BEGIN
  INSERT INTO jobs_text(jobs_text, rowid, name, source) VALUES ('delete', old.rowid, old.name, old.source);
  INSERT INTO jobs_text(rowid, name, source) VALUES (new.rowid, new.name, new.source);
END;
