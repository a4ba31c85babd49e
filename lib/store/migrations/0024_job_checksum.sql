-- A URL job may name the digest its file must have ("sha256:<hex>", "sha1:…", "md5:…"); the
-- engine checks it before the job completes.
ALTER TABLE jobs ADD COLUMN checksum TEXT;
