// Users buy a plan's period in a coin: an order names the receiving address and an amount no
// other pending order to that address asks for, so a payment maps to one order. Orders left
// unpaid expire (30 minutes by default); users see and cancel only their own.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/json_util.h"
#include "model/principal.h"
#include "store/order_repo.h"

namespace tseeder::billing {

struct NewOrder {
  std::string plan;
  std::string coin;
  std::optional<std::string> network;  // needed when the coin is taken on several
  std::int64_t period_days = 30;
};

class CryptoOrders {
 public:
  CryptoOrders(store::Db& db, const Clock& clock, audit::AuditLog& audit, std::int64_t expiry_ms)
      : db_(db), clock_(clock), audit_(audit), expiry_ms_(expiry_ms) {}
  store::Order create(const auth::Principal& who, const NewOrder& n, const auth::RequestMeta& meta);
  // The caller's own order; another account's is not found.
  store::Order own(const auth::Principal& who, const std::string& id);
  std::vector<store::Order> list(store::OrderQuery q);
  store::Order cancel(const auth::Principal& who, const std::string& id, const auth::RequestMeta& meta);
  // Pending orders past their expiry become expired; how many did. Also run before each read,
  // so an order never shows pending past its time.
  int expire_due();

 private:
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  std::int64_t expiry_ms_;
};

// pending, confirmed, expired or cancelled; Error(invalid_argument, field "status") otherwise.
std::string check_order_status(const std::string& status);
Json to_json(const store::Order& o);

}  // namespace tseeder::billing
