#include "store/card_repo.h"

namespace tseeder::store {

void CardRepo::add_checkout(const CardCheckout& c) {
  auto s = db_.prepare(
      "INSERT INTO card_checkouts (session_id, user_id, plan_id, period_days, usd_cents, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  s.bind(1, c.session_id).bind(2, c.user_id).bind(3, c.plan_id).bind(4, c.period_days).bind(5, c.usd_cents);
  s.bind(6, c.created_at_ms);
  s.run();
}

std::optional<CardCheckout> CardRepo::checkout(const std::string& session_id) {
  auto s = db_.prepare(
      "SELECT session_id, user_id, plan_id, period_days, usd_cents, created_at, completed_at FROM card_checkouts "
      "WHERE session_id = ?1");
  s.bind(1, session_id);
  if (!s.step()) return std::nullopt;
  return CardCheckout{s.text(0), s.text(1), s.text(2), s.int64(3), s.int64(4), s.int64(5), s.opt_int64(6)};
}

bool CardRepo::complete_checkout(const std::string& session_id, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE card_checkouts SET completed_at = ?2 WHERE session_id = ?1 AND completed_at IS NULL");
  s.bind(1, session_id).bind(2, now_ms);
  s.run();
  return db_.changes() == 1;
}

void CardRepo::set_customer(const CardCustomer& c, std::int64_t now_ms) {
  auto s = db_.prepare(
      "INSERT INTO card_customers (user_id, customer_id, subscription_id, plan_id, status, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (user_id) DO UPDATE SET customer_id = excluded.customer_id, "
      "subscription_id = excluded.subscription_id, plan_id = excluded.plan_id, status = excluded.status, "
      "updated_at = excluded.updated_at");
  s.bind(1, c.user_id).bind(2, c.customer_id).bind(3, c.subscription_id).bind(4, c.plan_id).bind(5, c.status);
  s.bind(6, now_ms);
  s.run();
}

std::optional<CardCustomer> CardRepo::customer_where(const std::string& column, const std::string& value) {
  // `column` is one of ours, never input.
  auto s = db_.prepare("SELECT user_id, customer_id, subscription_id, plan_id, status FROM card_customers WHERE " +
                       column + " = ?1");
  s.bind(1, value);
  if (!s.step()) return std::nullopt;
  return CardCustomer{s.text(0), s.text(1), s.opt_text(2), s.opt_text(3), s.opt_text(4)};
}

std::optional<CardCustomer> CardRepo::customer_of_user(const std::string& user_id) {
  return customer_where("user_id", user_id);
}

std::optional<CardCustomer> CardRepo::by_customer(const std::string& customer_id) {
  return customer_where("customer_id", customer_id);
}

std::optional<CardCustomer> CardRepo::by_subscription(const std::string& subscription_id) {
  return customer_where("subscription_id", subscription_id);
}

void CardRepo::set_subscription_status(const std::string& subscription_id, const std::string& status,
                                       std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE card_customers SET status = ?2, updated_at = ?3 WHERE subscription_id = ?1");
  s.bind(1, subscription_id).bind(2, status).bind(3, now_ms);
  s.run();
}

bool CardRepo::has_event(const std::string& event_id) {
  auto s = db_.prepare("SELECT 1 FROM webhook_events WHERE event_id = ?1");
  s.bind(1, event_id);
  return s.step();
}

bool CardRepo::take_event(const std::string& event_id, const std::string& type, const std::string& outcome,
                          std::int64_t now_ms) {
  auto s = db_.prepare(
      "INSERT INTO webhook_events (event_id, type, outcome, received_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (event_id) DO NOTHING");
  s.bind(1, event_id).bind(2, type).bind(3, outcome).bind(4, now_ms);
  s.run();
  return db_.changes() == 1;
}

}  // namespace tseeder::store
