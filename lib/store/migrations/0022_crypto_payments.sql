-- Payments chain watchers saw at order addresses: each transaction once per network, with what
-- became of it. 'waiting' pays a pending order and waits for confirmations; 'applied' confirmed
-- it; 'late', 'short' and 'unmatched' are kept for staff, never applied on their own.
CREATE TABLE crypto_payments (
  network       TEXT NOT NULL,
  txid          TEXT NOT NULL,
  address       TEXT NOT NULL,
  amount_units  TEXT NOT NULL,
  confirmations INTEGER NOT NULL,
  order_id      TEXT REFERENCES crypto_orders (id),
  outcome       TEXT NOT NULL CHECK (outcome IN ('waiting', 'applied', 'late', 'short', 'unmatched')),
  watcher       TEXT NOT NULL,
  seen_at       INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (network, txid)
) WITHOUT ROWID;
CREATE INDEX crypto_payments_by_outcome ON crypto_payments (outcome, seen_at);
CREATE INDEX crypto_payments_by_time ON crypto_payments (seen_at);

-- A payment's amount names its order, pending or ended; ended orders are watched for a day.
CREATE INDEX crypto_orders_by_amount ON crypto_orders (network, address, amount_units);
CREATE INDEX crypto_orders_by_end ON crypto_orders (ended_at) WHERE ended_at IS NOT NULL;
