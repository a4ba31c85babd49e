#include "billing/crypto_orders.h"

#include <algorithm>
#include <set>

#include "billing/address_check.h"
#include "billing/amounts.h"
#include "billing/payment_uri.h"
#include "billing/wallet_admin.h"
#include "core/error.h"
#include "core/ids.h"
#include "model/job.h"
#include "store/wallet_repo.h"

namespace tseeder::billing {
namespace {

constexpr int kMaxPendingPerUser = 5;
// Distinct amounts one address can tell apart at once; far above what pending orders reach.
constexpr std::int64_t kMaxOffsets = 10'000;
// Amounts carry at most 8 decimals: wallets show and take no more (BNB's 18 are padded with zeros).
constexpr int kAmountDecimals = 8;
constexpr int kExpireBatch = 500;

// The active wallet that takes `coin` (on `network`, when given); the oldest if several.
store::Wallet wallet_for(store::Db& db, const std::string& coin, const std::optional<std::string>& network) {
  std::vector<store::Wallet> taking;
  std::set<std::string> networks;
  for (auto& w : store::WalletRepo(db).list())
    if (w.active && w.coin == coin && (!network || w.network == *network)) {
      networks.insert(w.network);
      taking.push_back(std::move(w));
    }
  if (taking.empty())
    throw Error(Errc::conflict,
                coin + (network ? " on " + *network : std::string()) + " is not taken for payments at the moment",
                "pay with another coin, or ask the operator");
  if (networks.size() > 1) {
    std::string names;
    for (const auto& n : networks) names += (names.empty() ? "" : ", ") + n;
    throw Error(Errc::invalid_argument, coin + " is taken on several networks (" + names + "): choose one",
                "add network, e.g. --network " + *networks.begin(), "network");
  }
  std::sort(taking.begin(), taking.end(),
            [](const auto& a, const auto& b) { return a.created_at_ms < b.created_at_ms; });
  return taking.front();
}

}  // namespace

std::string check_order_status(const std::string& status) {
  if (status != "pending" && status != "confirmed" && status != "expired" && status != "cancelled")
    throw Error(Errc::invalid_argument, "status '" + status.substr(0, 20) + "' is not an order status",
                "pending, confirmed, expired or cancelled", "status");
  return status;
}

store::Order CryptoOrders::create(const auth::Principal& who, const NewOrder& n, const auth::RequestMeta& meta) {
  const std::string coin = coin_name(n.coin);
  const int decimals = coin_decimals(coin);
  std::optional<std::string> network;
  if (n.network) {
    network = network_name(*n.network);
    check_coin_network(coin, *network);
  }
  if (n.period_days < 1 || n.period_days > 3660)
    throw Error(Errc::invalid_argument, "the period must be 1 to 3660 days", {}, "periodDays");
  const auto price = priced_plan(db_, n.plan, n.period_days).price;
  const auto w = wallet_for(db_, coin, network);
  const auto rate = store::WalletRepo(db_).rate(coin);
  if (!rate)
    throw Error(Errc::conflict, "no rate is set for " + coin + " yet", "pay with another coin, or ask the operator");
  expire_due();
  store::OrderRepo orders(db_);
  store::OrderQuery mine{who.user.value, std::string("pending"), kMaxPendingPerUser + 1, std::nullopt};
  if (orders.list(mine).size() >= static_cast<std::size_t>(kMaxPendingPerUser))
    throw Error(Errc::conflict, "you have " + std::to_string(kMaxPendingPerUser) + " pending orders already",
                "pay or cancel one: tseeder wallet orders");
  // Rounded up at 8 decimals, then padded to the coin's own: never short of the price.
  const int shown = std::min(decimals, kAmountDecimals);
  const std::string base = smallest_units(price.usd_cents, rate->usd_micros, shown);
  const std::string pad(static_cast<std::size_t>(decimals - shown), '0');
  const auto taken = orders.pending_amounts(w.network, w.address);
  const std::set<std::string> used(taken.begin(), taken.end());
  store::Order o;
  o.id = random_hex_id();
  o.user_id = who.user.value;
  o.plan_id = n.plan;
  o.period_days = n.period_days;
  o.coin = coin;
  o.network = w.network;
  o.wallet_id = w.id;
  o.address = w.address;
  o.usd_cents = price.usd_cents;
  o.rate_usd_micros = rate->usd_micros;
  o.created_at_ms = clock_.now_ms();
  o.expires_at_ms = o.created_at_ms + expiry_ms_;
  store::Transaction tx(db_);
  for (std::int64_t offset = 0;; ++offset) {
    if (offset == kMaxOffsets)
      throw Error(Errc::unavailable, "too many pending orders to " + w.address + " to tell a new one apart",
                  "try again when some have expired");
    o.amount_units = add_units(base, offset) + pad;
    if (!used.count(o.amount_units) && orders.insert(o)) break;
  }
  audit_.record(&who, meta, "order.create", "order:" + o.id,
                {{"plan", o.plan_id},
                 {"periodDays", o.period_days},
                 {"coin", o.coin},
                 {"network", o.network},
                 {"amountUnits", o.amount_units},
                 {"usdCents", o.usd_cents}});
  tx.commit();
  return o;
}

store::Order CryptoOrders::own(const auth::Principal& who, const std::string& id) {
  expire_due();
  auto o = store::OrderRepo(db_).find(id);
  if (!o || o->user_id != who.user.value)
    throw Error(Errc::not_found, "order '" + id.substr(0, 40) + "' not found", "see tseeder wallet orders");
  return *o;
}

std::vector<store::Order> CryptoOrders::list(store::OrderQuery q) {
  if (q.status) check_order_status(*q.status);
  expire_due();
  return store::OrderRepo(db_).list(q);
}

store::Order CryptoOrders::cancel(const auth::Principal& who, const std::string& id, const auth::RequestMeta& meta) {
  auto o = own(who, id);
  if (o.status != "pending")
    throw Error(Errc::conflict, "order " + id + " is " + o.status + "; only a pending order can be cancelled");
  if (o.txid)
    throw Error(Errc::conflict, "a payment to order " + id + " has been seen; it is confirmed once the network does",
                "see tseeder wallet show " + id);
  store::Transaction tx(db_);
  store::OrderRepo(db_).end(id, "cancelled", clock_.now_ms());
  audit_.record(&who, meta, "order.cancel", "order:" + id);
  tx.commit();
  return *store::OrderRepo(db_).find(id);
}

int CryptoOrders::expire_due() {
  store::OrderRepo orders(db_);
  const auto due = orders.due_to_expire(clock_.now_ms(), kExpireBatch);
  if (due.empty()) return 0;
  store::Transaction tx(db_);
  int n = 0;
  for (const auto& o : due)
    if (orders.end(o.id, "expired", clock_.now_ms())) {
      audit_.record_system("order.expire", "order:" + o.id, {{"user", o.user_id}});
      ++n;
    }
  tx.commit();
  return n;
}

Json to_json(const store::Order& o) {
  const int decimals = coin_decimals(o.coin);
  Json j{{"id", o.id},
         {"user", o.user_id},
         {"plan", o.plan_id},
         {"periodDays", o.period_days},
         {"coin", o.coin},
         {"network", o.network},
         {"address", o.address},
         {"amount", coin_text(o.amount_units, decimals)},
         {"amountUnits", o.amount_units},
         {"usd", usd_text(o.usd_cents, 2)},
         {"rateUsd", usd_text(o.rate_usd_micros, 6)},
         {"status", o.status},
         {"txid", or_null(o.txid)},
         {"confirmations", o.confirmations},
         {"createdAt", jobs::iso8601(o.created_at_ms)},
         {"expiresAt", jobs::iso8601(o.expires_at_ms)},
         {"confirmedAt", jobs::iso8601_or_null(o.confirmed_at_ms)},
         {"endedAt", jobs::iso8601_or_null(o.ended_at_ms)}};
  if (o.status == "pending") {
    j["paymentUri"] = payment_uri(o.coin, o.network, o.address, o.amount_units);
    const std::string token = token_contract(o.coin, o.network);
    j["token"] = token.empty() ? Json() : Json(token);
  }
  return j;
}

}  // namespace tseeder::billing
