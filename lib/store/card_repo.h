// SQL for card payments: checkout sessions, customers and subscriptions, webhook events.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "store/db.h"

namespace tseeder::store {

struct CardCheckout {
  std::string session_id;
  std::string user_id;
  std::string plan_id;
  std::int64_t period_days = 30;
  std::int64_t usd_cents = 0;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> completed_at_ms;
};

struct CardCustomer {
  std::string user_id;
  std::string customer_id;
  std::optional<std::string> subscription_id;
  std::optional<std::string> plan_id;
  std::optional<std::string> status;
};

class CardRepo {
 public:
  explicit CardRepo(Db& db) : db_(db) {}
  void add_checkout(const CardCheckout& c);
  std::optional<CardCheckout> checkout(const std::string& session_id);
  // False when it was completed already.
  bool complete_checkout(const std::string& session_id, std::int64_t now_ms);
  void set_customer(const CardCustomer& c, std::int64_t now_ms);
  std::optional<CardCustomer> customer_of_user(const std::string& user_id);
  std::optional<CardCustomer> by_customer(const std::string& customer_id);
  std::optional<CardCustomer> by_subscription(const std::string& subscription_id);
  void set_subscription_status(const std::string& subscription_id, const std::string& status, std::int64_t now_ms);
  bool has_event(const std::string& event_id);
  // False when the event was taken before: it changes nothing again.
  bool take_event(const std::string& event_id, const std::string& type, const std::string& outcome,
                  std::int64_t now_ms);

 private:
  std::optional<CardCustomer> customer_where(const std::string& column, const std::string& value);
  Db& db_;
};

}  // namespace tseeder::store
