-- What one coin is worth in US dollars, as staff set it (micro-dollars: 97000.123456 USD is
-- 97000123456); orders turn plan prices into coin amounts with it.
CREATE TABLE crypto_rates (
  coin       TEXT PRIMARY KEY,
  usd_micros INTEGER NOT NULL,
  updated_by TEXT,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
