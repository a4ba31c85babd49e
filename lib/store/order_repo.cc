#include "store/order_repo.h"

namespace tseeder::store {
namespace {

constexpr const char* kColumns =
    "SELECT id, user_id, plan_id, period_days, coin, network, wallet_id, address, amount_units, usd_cents, "
    "rate_usd_micros, status, txid, confirmations, confirmed_by, created_at, expires_at, confirmed_at, ended_at "
    "FROM crypto_orders ";

Order order_of(const Stmt& s) {
  Order o;
  o.id = s.text(0);
  o.user_id = s.text(1);
  o.plan_id = s.text(2);
  o.period_days = s.int64(3);
  o.coin = s.text(4);
  o.network = s.text(5);
  o.wallet_id = s.text(6);
  o.address = s.text(7);
  o.amount_units = s.text(8);
  o.usd_cents = s.int64(9);
  o.rate_usd_micros = s.int64(10);
  o.status = s.text(11);
  o.txid = s.opt_text(12);
  o.confirmations = s.int64(13);
  o.confirmed_by = s.opt_text(14);
  o.created_at_ms = s.int64(15);
  o.expires_at_ms = s.int64(16);
  o.confirmed_at_ms = s.opt_int64(17);
  o.ended_at_ms = s.opt_int64(18);
  return o;
}

}  // namespace

bool OrderRepo::insert(const Order& o) {
  auto s = db_.prepare(
      "INSERT INTO crypto_orders (id, user_id, plan_id, period_days, coin, network, wallet_id, address, "
      "amount_units, usd_cents, rate_usd_micros, status, created_at, expires_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'pending', ?12, ?13) "
      "ON CONFLICT (network, address, amount_units) WHERE status = 'pending' DO NOTHING");
  s.bind(1, o.id).bind(2, o.user_id).bind(3, o.plan_id).bind(4, o.period_days).bind(5, o.coin).bind(6, o.network);
  s.bind(7, o.wallet_id).bind(8, o.address).bind(9, o.amount_units).bind(10, o.usd_cents);
  s.bind(11, o.rate_usd_micros).bind(12, o.created_at_ms).bind(13, o.expires_at_ms);
  s.run();
  return db_.changes() == 1;
}

std::optional<Order> OrderRepo::find(const std::string& id) {
  auto s = db_.prepare(std::string(kColumns) + "WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return order_of(s);
}

std::vector<Order> OrderRepo::list(const OrderQuery& q) {
  // Each filter picks its index: by user (user_id, created_at) or by status (status, expires_at).
  std::string sql = std::string(kColumns) + "WHERE 1 ";
  if (q.user_id) sql += "AND user_id = ?1 ";
  if (q.status) sql += "AND status = ?2 ";
  if (q.after) sql += "AND (created_at < ?3 OR (created_at = ?3 AND id < ?4)) ";
  sql += "ORDER BY created_at DESC, id DESC LIMIT ?5";
  auto s = db_.prepare(sql);
  if (q.user_id) s.bind(1, *q.user_id);
  if (q.status) s.bind(2, *q.status);
  if (q.after) s.bind(3, q.after->at).bind(4, q.after->key);
  s.bind(5, std::int64_t{q.limit});
  std::vector<Order> out;
  while (s.step()) out.push_back(order_of(s));
  return out;
}

std::vector<std::string> OrderRepo::pending_amounts(const std::string& network, const std::string& address) {
  auto s =
      db_.prepare("SELECT amount_units FROM crypto_orders WHERE network = ?1 AND address = ?2 AND status = 'pending'");
  s.bind(1, network).bind(2, address);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

std::vector<Order> OrderRepo::due_to_expire(std::int64_t now_ms, int limit) {
  auto s = db_.prepare(std::string(kColumns) +
                       "WHERE status = 'pending' AND expires_at <= ?1 AND txid IS NULL ORDER BY expires_at LIMIT ?2");
  s.bind(1, now_ms).bind(2, std::int64_t{limit});
  std::vector<Order> out;
  while (s.step()) out.push_back(order_of(s));
  return out;
}

std::optional<Order> OrderRepo::pending_for(const std::string& network, const std::string& address,
                                            const std::string& amount_units) {
  auto s = db_.prepare(std::string(kColumns) +
                       "WHERE network = ?1 AND address = ?2 AND amount_units = ?3 AND status = 'pending'");
  s.bind(1, network).bind(2, address).bind(3, amount_units);
  if (!s.step()) return std::nullopt;
  return order_of(s);
}

std::optional<Order> OrderRepo::ended_for(const std::string& network, const std::string& address,
                                          const std::string& amount_units, std::int64_t ended_since_ms) {
  auto s = db_.prepare(std::string(kColumns) +
                       "WHERE network = ?1 AND address = ?2 AND amount_units = ?3 AND ended_at >= ?4 "
                       "ORDER BY ended_at DESC LIMIT 1");
  s.bind(1, network).bind(2, address).bind(3, amount_units).bind(4, ended_since_ms);
  if (!s.step()) return std::nullopt;
  return order_of(s);
}

std::vector<Order> OrderRepo::pending_at(const std::string& network, const std::string& address) {
  auto s = db_.prepare(std::string(kColumns) + "WHERE network = ?1 AND address = ?2 AND status = 'pending'");
  s.bind(1, network).bind(2, address);
  std::vector<Order> out;
  while (s.step()) out.push_back(order_of(s));
  return out;
}

std::vector<std::pair<std::string, std::string>> OrderRepo::watched_addresses(std::int64_t ended_since_ms) {
  auto s = db_.prepare(
      "SELECT network, address FROM crypto_orders WHERE status = 'pending' "
      "UNION SELECT network, address FROM crypto_orders WHERE ended_at >= ?1");
  s.bind(1, ended_since_ms);
  std::vector<std::pair<std::string, std::string>> out;
  while (s.step()) out.emplace_back(s.text(0), s.text(1));
  return out;
}

void OrderRepo::set_seen(const std::string& id, const std::string& txid, std::int64_t confirmations) {
  auto s = db_.prepare("UPDATE crypto_orders SET txid = ?2, confirmations = ?3 WHERE id = ?1 AND status = 'pending'");
  s.bind(1, id).bind(2, txid).bind(3, confirmations);
  s.run();
}

bool OrderRepo::end(const std::string& id, const std::string& status, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE crypto_orders SET status = ?2, ended_at = ?3 WHERE id = ?1 AND status = 'pending'");
  s.bind(1, id).bind(2, status).bind(3, now_ms);
  s.run();
  return db_.changes() == 1;
}

bool OrderRepo::confirm(const std::string& id, const std::string& txid, std::int64_t confirmations,
                        const std::string& confirmed_by, std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE crypto_orders SET status = 'confirmed', txid = ?2, confirmations = ?3, confirmed_by = ?4, "
      "confirmed_at = ?5 WHERE id = ?1 AND status = 'pending'");
  s.bind(1, id).bind(2, txid).bind(3, confirmations).bind(4, confirmed_by).bind(5, now_ms);
  s.run();
  return db_.changes() == 1;
}

std::optional<Order> OrderRepo::paid_by(const std::string& network, const std::string& txid) {
  auto s = db_.prepare(std::string(kColumns) + "WHERE network = ?1 AND txid = ?2");
  s.bind(1, network).bind(2, txid);
  if (!s.step()) return std::nullopt;
  return order_of(s);
}

}  // namespace tseeder::store
