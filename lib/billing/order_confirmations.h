// An order is paid: staff confirm it with the paying transaction (a chain watcher will too). The
// order turns confirmed and the account gets the plan's period in one transaction, once: the same
// confirmation again changes nothing, and a transaction that paid one order pays no other.
#pragma once
#include <string>

#include "audit/audit_log.h"
#include "billing/paid_plans.h"
#include "core/clock.h"
#include "model/justification.h"
#include "store/order_repo.h"

namespace tseeder::billing {

struct Confirmation {
  store::Order order;
  bool changed = false;  // false: it was confirmed with that transaction already
};

class OrderConfirmations {
 public:
  OrderConfirmations(store::Db& db, const Clock& clock, audit::AuditLog& audit, PaidPlans& plans)
      : db_(db), clock_(clock), audit_(audit), plans_(plans) {}
  // Needs a reason and a ticket. Refused for an expired or cancelled order (its payment is a
  // late one for staff to settle by hand) and for a transaction that paid another order.
  Confirmation confirm(const auth::Principal& actor, const std::string& order_id, const std::string& txid,
                       const auth::Justification& why, const auth::RequestMeta& meta);
  // A chain watcher saw the order paid by `txid` with enough confirmations; inside the caller's
  // transaction. The payment arrived while the order was pending, so its expiry does not matter.
  // The plan mail goes out once the caller commits (announce()).
  PaidPeriod confirm_watched(const store::Order& order, const std::string& txid, std::int64_t confirmations,
                             const std::string& watcher);
  void announce(const store::Order& order, const PaidPeriod& period) { plans_.announce(UserId{order.user_id}, period); }

 private:
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  PaidPlans& plans_;
};

// A transaction id in its network's form (lower-case hex for bitcoin, litecoin, tron and the EVM
// chains, 0x-prefixed on the latter; base58 for solana); Error(invalid_argument, field "txid").
std::string check_txid(const std::string& network, const std::string& txid);

}  // namespace tseeder::billing
