-- What each account stores, kept as files come and go: admission and /usage read one row instead
-- of summing the account's files over all its jobs on every creation.
CREATE TABLE storage_usage (
  user_id TEXT PRIMARY KEY,
  bytes   INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO storage_usage (user_id, bytes)
  SELECT j.user_id, sum(f.size_bytes) FROM files f JOIN jobs j ON j.id = f.job_id GROUP BY j.user_id;

CREATE TRIGGER storage_usage_file_added AFTER INSERT ON files BEGIN
  INSERT INTO storage_usage (user_id, bytes) SELECT user_id, NEW.size_bytes FROM jobs WHERE id = NEW.job_id
  ON CONFLICT (user_id) DO UPDATE SET bytes = bytes + excluded.bytes;
END;

-- A file removed on its own; when its job goes, the job's trigger below counted it already (the
-- job's row is gone by the time its files cascade, so this one finds no owner).
CREATE TRIGGER storage_usage_file_removed AFTER DELETE ON files BEGIN
  UPDATE storage_usage SET bytes = bytes - OLD.size_bytes
  WHERE user_id = (SELECT user_id FROM jobs WHERE id = OLD.job_id);
END;

CREATE TRIGGER storage_usage_job_removed BEFORE DELETE ON jobs BEGIN
  UPDATE storage_usage SET bytes = bytes - (SELECT coalesce(sum(size_bytes), 0) FROM files WHERE job_id = OLD.id)
  WHERE user_id = OLD.user_id;
END;
