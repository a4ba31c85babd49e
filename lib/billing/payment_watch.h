// What chain watchers saw at order addresses, applied: a payment of a pending order's exact
// amount is tied to it and confirms it once it has the coin's required confirmations; one that
// arrives after its order ended, falls short of every pending amount, or matches none is kept and
// flagged for staff, never applied. Each transaction is taken once: the same answer again, or the
// same transaction at another address, changes nothing.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit_log.h"
#include "billing/order_confirmations.h"
#include "core/clock.h"
#include "model/payment.h"
#include "store/payment_repo.h"

namespace tseeder::billing {

struct WatchRound {
  int seen = 0;       // payments new to the store
  int confirmed = 0;  // orders confirmed
  int flagged = 0;    // late, short or unmatched payments recorded
};

class PaymentWatch {
 public:
  // `required`: confirmations per coin (BTC, LTC, USDT, BNB).
  PaymentWatch(store::Db& db, const Clock& clock, audit::AuditLog& audit, OrderConfirmations& confirmations,
               std::map<std::string, std::int64_t> required)
      : db_(db), clock_(clock), audit_(audit), confirmations_(confirmations), required_(std::move(required)) {}
  // (network, address) pairs to ask about: pending orders', and those of orders ended in the last day.
  std::vector<std::pair<std::string, std::string>> addresses();
  // One watcher's answer for one address. A malformed transaction id refuses the whole answer
  // (Error(plugin)) with nothing changed.
  WatchRound observe(const std::string& watcher, const std::string& network, const std::string& address,
                     const std::vector<ObservedPayment>& seen);
  std::vector<store::Payment> payments(const std::optional<std::string>& outcome, int limit);

 private:
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  OrderConfirmations& confirmations_;
  std::map<std::string, std::int64_t> required_;
};

Json to_json(const store::Payment& p);

}  // namespace tseeder::billing
