-- What a torrent has uploaded in all (its engine's count, kept while it seeds): the share ratio
-- is bytes_uploaded / bytes_done.
ALTER TABLE jobs ADD COLUMN bytes_uploaded INTEGER NOT NULL DEFAULT 0;
