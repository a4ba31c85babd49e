#include "store/wallet_repo.h"

namespace tseeder::store {
namespace {

constexpr const char* kWalletColumns =
    "SELECT id, coin, network, address, active, created_by, created_at FROM crypto_wallets ";

constexpr const char* kPriceColumns =
    "SELECT plan_id, period_days, usd_cents, updated_by, updated_at FROM crypto_prices ";
constexpr const char* kRateColumns = "SELECT coin, usd_micros, updated_by, updated_at FROM crypto_rates ";

Price price_of(const Stmt& s) {
  return {s.text(0), s.int64(1), s.int64(2), s.opt_text(3), s.int64(4)};
}

Rate rate_of(const Stmt& s) {
  return {s.text(0), s.int64(1), s.opt_text(2), s.int64(3)};
}

Wallet wallet_of(Stmt& s) {
  return {s.text(0), s.text(1), s.text(2), s.text(3), s.int64(4) != 0, s.opt_text(5), s.int64(6)};
}

}  // namespace

bool WalletRepo::insert(const Wallet& w) {
  auto s = db_.prepare(
      "INSERT INTO crypto_wallets (id, coin, network, address, active, created_by, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (network, address) DO NOTHING");
  s.bind(1, w.id).bind(2, w.coin).bind(3, w.network).bind(4, w.address).bind(5, std::int64_t{w.active ? 1 : 0});
  s.bind(6, w.created_by).bind(7, w.created_at_ms);
  s.run();
  return db_.changes() == 1;
}

std::optional<Wallet> WalletRepo::find(const std::string& id) {
  auto s = db_.prepare(std::string(kWalletColumns) + "WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return wallet_of(s);
}

std::vector<Wallet> WalletRepo::list() {
  auto s = db_.prepare(std::string(kWalletColumns) + "ORDER BY coin, network, created_at");
  std::vector<Wallet> out;
  while (s.step()) out.push_back(wallet_of(s));
  return out;
}

void WalletRepo::set_active(const std::string& id, bool active) {
  auto s = db_.prepare("UPDATE crypto_wallets SET active = ?2 WHERE id = ?1");
  s.bind(1, id).bind(2, std::int64_t{active ? 1 : 0});
  s.run();
}

std::optional<Price> WalletRepo::set_price(const Price& p) {
  const auto before = price(p.plan_id, p.period_days);
  auto s = db_.prepare(
      "INSERT INTO crypto_prices (plan_id, period_days, usd_cents, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (plan_id, period_days) DO UPDATE SET usd_cents = excluded.usd_cents, "
      "updated_by = excluded.updated_by, updated_at = excluded.updated_at");
  s.bind(1, p.plan_id).bind(2, p.period_days).bind(3, p.usd_cents).bind(4, p.updated_by).bind(5, p.updated_at_ms);
  s.run();
  return before;
}

std::vector<Price> WalletRepo::prices() {
  auto s = db_.prepare(std::string(kPriceColumns) + "ORDER BY plan_id, period_days");
  std::vector<Price> out;
  while (s.step()) out.push_back(price_of(s));
  return out;
}

std::optional<Price> WalletRepo::price(const std::string& plan_id, std::int64_t period_days) {
  auto s = db_.prepare(std::string(kPriceColumns) + "WHERE plan_id = ?1 AND period_days = ?2");
  s.bind(1, plan_id).bind(2, period_days);
  if (!s.step()) return std::nullopt;
  return price_of(s);
}

std::optional<Rate> WalletRepo::set_rate(const Rate& r) {
  const auto before = rate(r.coin);
  auto s = db_.prepare(
      "INSERT INTO crypto_rates (coin, usd_micros, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (coin) DO UPDATE SET usd_micros = excluded.usd_micros, updated_by = excluded.updated_by, "
      "updated_at = excluded.updated_at");
  s.bind(1, r.coin).bind(2, r.usd_micros).bind(3, r.updated_by).bind(4, r.updated_at_ms);
  s.run();
  return before;
}

std::vector<Rate> WalletRepo::rates() {
  auto s = db_.prepare(std::string(kRateColumns) + "ORDER BY coin");
  std::vector<Rate> out;
  while (s.step()) out.push_back(rate_of(s));
  return out;
}

std::optional<Rate> WalletRepo::rate(const std::string& coin) {
  auto s = db_.prepare(std::string(kRateColumns) + "WHERE coin = ?1");
  s.bind(1, coin);
  if (!s.step()) return std::nullopt;
  return rate_of(s);
}

}  // namespace tseeder::store
