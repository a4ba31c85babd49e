-- Card payments through a Stripe-style processor: the checkout sessions we made (whose answer
-- names the account, plan and period, so a webhook is never trusted for them), each account's
-- customer and subscription there, and every webhook event id once.
CREATE TABLE card_checkouts (
  session_id   TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id),
  plan_id      TEXT NOT NULL REFERENCES plans (id),
  period_days  INTEGER NOT NULL,
  usd_cents    INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  completed_at INTEGER
) WITHOUT ROWID;
CREATE INDEX card_checkouts_by_user ON card_checkouts (user_id, created_at);

CREATE TABLE card_customers (
  user_id         TEXT PRIMARY KEY REFERENCES users (id),
  customer_id     TEXT NOT NULL UNIQUE,
  subscription_id TEXT UNIQUE,
  plan_id         TEXT REFERENCES plans (id),
  status          TEXT,
  updated_at      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE webhook_events (
  event_id    TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;
