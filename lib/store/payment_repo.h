// SQL for payments chain watchers saw at order addresses.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace tseeder::store {

struct Payment {
  std::string network;
  std::string txid;
  std::string address;
  std::string amount_units;
  std::int64_t confirmations = 0;
  std::optional<std::string> order_id;
  std::string outcome;  // waiting, applied, late, short, unmatched
  std::string watcher;
  std::int64_t seen_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

class PaymentRepo {
 public:
  explicit PaymentRepo(Db& db) : db_(db) {}
  std::optional<Payment> find(const std::string& network, const std::string& txid);
  void insert(const Payment& p);
  void update(const std::string& network, const std::string& txid, std::int64_t confirmations,
              const std::string& outcome, std::int64_t now_ms);
  // Newest first; `outcome` empty: every payment.
  std::vector<Payment> list(const std::optional<std::string>& outcome, int limit);

 private:
  Db& db_;
};

}  // namespace tseeder::store
