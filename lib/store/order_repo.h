// SQL for crypto orders: what a user is buying, where and how much they pay, and how it ended.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/cursor.h"
#include "store/db.h"

namespace tseeder::store {

struct Order {
  std::string id;
  std::string user_id;
  std::string plan_id;
  std::int64_t period_days = 30;
  std::string coin;
  std::string network;
  std::string wallet_id;
  std::string address;
  std::string amount_units;  // smallest units, decimal digits
  std::int64_t usd_cents = 0;
  std::int64_t rate_usd_micros = 0;
  std::string status = "pending";  // pending → confirmed | expired | cancelled
  std::optional<std::string> txid;
  std::int64_t confirmations = 0;
  std::optional<std::string> confirmed_by;  // a staff member's id, or "watcher:<plugin>"
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::optional<std::int64_t> confirmed_at_ms;
  std::optional<std::int64_t> ended_at_ms;  // expired or cancelled
};

struct OrderQuery {
  std::optional<std::string> user_id;
  std::optional<std::string> status;
  int limit = 50;
  std::optional<Cursor> after;  // newest first: (created_at, id) below this
};

class OrderRepo {
 public:
  explicit OrderRepo(Db& db) : db_(db) {}
  // False when a pending order to the address already asks for that amount.
  bool insert(const Order& o);
  std::optional<Order> find(const std::string& id);
  std::vector<Order> list(const OrderQuery& q);
  // The amounts pending orders to an address ask for.
  std::vector<std::string> pending_amounts(const std::string& network, const std::string& address);
  // The order to (network, address) asking for `amount_units`: the pending one, else the newest
  // that ended (expired or cancelled) at or after `ended_since_ms`.
  std::optional<Order> pending_for(const std::string& network, const std::string& address,
                                   const std::string& amount_units);
  std::optional<Order> ended_for(const std::string& network, const std::string& address,
                                 const std::string& amount_units, std::int64_t ended_since_ms);
  // Pending orders to (network, address): what a short payment may have been meant for.
  std::vector<Order> pending_at(const std::string& network, const std::string& address);
  // Where payments may arrive: addresses of pending orders and of orders ended since then.
  std::vector<std::pair<std::string, std::string>> watched_addresses(std::int64_t ended_since_ms);
  // A payment seen for a pending order: it no longer expires while it gathers confirmations.
  void set_seen(const std::string& id, const std::string& txid, std::int64_t confirmations);
  // Pending orders past their expiry with no payment seen, at most `limit`.
  std::vector<Order> due_to_expire(std::int64_t now_ms, int limit);
  // pending → expired or cancelled; false when the order was no longer pending.
  bool end(const std::string& id, const std::string& status, std::int64_t now_ms);
  // pending → confirmed with the paying transaction; false when no longer pending.
  bool confirm(const std::string& id, const std::string& txid, std::int64_t confirmations,
               const std::string& confirmed_by, std::int64_t now_ms);
  // The order a transaction already paid, if any.
  std::optional<Order> paid_by(const std::string& network, const std::string& txid);

 private:
  Db& db_;
};

}  // namespace tseeder::store
