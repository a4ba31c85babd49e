-- Crypto orders: a user buys a plan's period in a coin. The amount is in the coin's smallest unit
-- as decimal digits (BNB's wei pass 64 bits), unique among the pending orders to one address so
-- that a payment names its order. An account's plan bought for a period lapses at plan_paid_until.
CREATE TABLE crypto_orders (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL REFERENCES users (id),
  plan_id         TEXT NOT NULL REFERENCES plans (id),
  period_days     INTEGER NOT NULL,
  coin            TEXT NOT NULL,
  network         TEXT NOT NULL,
  wallet_id       TEXT NOT NULL REFERENCES crypto_wallets (id),
  address         TEXT NOT NULL,
  amount_units    TEXT NOT NULL,
  usd_cents       INTEGER NOT NULL,
  rate_usd_micros INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'confirmed', 'expired', 'cancelled')),
  txid            TEXT,
  confirmations   INTEGER NOT NULL DEFAULT 0,
  confirmed_by    TEXT,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  confirmed_at    INTEGER,
  ended_at        INTEGER
);
CREATE UNIQUE INDEX crypto_orders_pending_amount ON crypto_orders (network, address, amount_units)
  WHERE status = 'pending';
-- One transaction pays one order.
CREATE UNIQUE INDEX crypto_orders_txid ON crypto_orders (network, txid) WHERE txid IS NOT NULL;
CREATE INDEX crypto_orders_by_user ON crypto_orders (user_id, created_at);
CREATE INDEX crypto_orders_by_status ON crypto_orders (status, expires_at);

ALTER TABLE users ADD COLUMN plan_paid_until INTEGER;
CREATE INDEX users_by_plan_paid_until ON users (plan_paid_until) WHERE plan_paid_until IS NOT NULL;
