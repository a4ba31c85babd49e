// SQL for crypto receiving wallets, plan prices and coin rates.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace tseeder::store {

struct Wallet {
  std::string id;
  std::string coin;
  std::string network;
  std::string address;
  bool active = true;
  std::optional<std::string> created_by;
  std::int64_t created_at_ms = 0;
};

struct Price {
  std::string plan_id;
  std::int64_t period_days = 30;
  std::int64_t usd_cents = 0;
  std::optional<std::string> updated_by;
  std::int64_t updated_at_ms = 0;
};

struct Rate {
  std::string coin;
  std::int64_t usd_micros = 0;  // one coin in millionths of a US dollar
  std::optional<std::string> updated_by;
  std::int64_t updated_at_ms = 0;
};

class WalletRepo {
 public:
  explicit WalletRepo(Db& db) : db_(db) {}
  // False when the network has that address already.
  bool insert(const Wallet& w);
  std::optional<Wallet> find(const std::string& id);
  std::vector<Wallet> list();
  void set_active(const std::string& id, bool active);
  // The price before the change, if there was one.
  std::optional<Price> set_price(const Price& p);
  std::vector<Price> prices();
  std::optional<Price> price(const std::string& plan_id, std::int64_t period_days);
  // The rate before the change, if there was one.
  std::optional<Rate> set_rate(const Rate& r);
  std::vector<Rate> rates();
  std::optional<Rate> rate(const std::string& coin);

 private:
  Db& db_;
};

}  // namespace tseeder::store
