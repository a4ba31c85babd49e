-- Crypto payments, first part: where payments are received (one address per coin and network,
-- checked against the network's checksum before it is saved) and what each plan costs per period.
CREATE TABLE crypto_wallets (
  id         TEXT PRIMARY KEY,
  coin       TEXT NOT NULL,
  network    TEXT NOT NULL,
  address    TEXT NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1,
  created_by TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (network, address)
);

CREATE TABLE crypto_prices (
  plan_id     TEXT NOT NULL REFERENCES plans (id),
  period_days INTEGER NOT NULL,
  usd_cents   INTEGER NOT NULL,
  updated_by  TEXT,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (plan_id, period_days)
) WITHOUT ROWID;
