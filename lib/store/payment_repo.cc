#include "store/payment_repo.h"

namespace tseeder::store {
namespace {

constexpr const char* kColumns =
    "SELECT network, txid, address, amount_units, confirmations, order_id, outcome, watcher, seen_at, updated_at "
    "FROM crypto_payments ";

Payment payment_of(const Stmt& s) {
  return {s.text(0),     s.text(1), s.text(2), s.text(3),  s.int64(4),
          s.opt_text(5), s.text(6), s.text(7), s.int64(8), s.int64(9)};
}

}  // namespace

std::optional<Payment> PaymentRepo::find(const std::string& network, const std::string& txid) {
  auto s = db_.prepare(std::string(kColumns) + "WHERE network = ?1 AND txid = ?2");
  s.bind(1, network).bind(2, txid);
  if (!s.step()) return std::nullopt;
  return payment_of(s);
}

void PaymentRepo::insert(const Payment& p) {
  auto s = db_.prepare(
      "INSERT INTO crypto_payments (network, txid, address, amount_units, confirmations, order_id, outcome, watcher, "
      "seen_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  s.bind(1, p.network).bind(2, p.txid).bind(3, p.address).bind(4, p.amount_units).bind(5, p.confirmations);
  s.bind(6, p.order_id).bind(7, p.outcome).bind(8, p.watcher).bind(9, p.seen_at_ms).bind(10, p.updated_at_ms);
  s.run();
}

void PaymentRepo::update(const std::string& network, const std::string& txid, std::int64_t confirmations,
                         const std::string& outcome, std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE crypto_payments SET confirmations = ?3, outcome = ?4, updated_at = ?5 WHERE network = ?1 AND txid = ?2");
  s.bind(1, network).bind(2, txid).bind(3, confirmations).bind(4, outcome).bind(5, now_ms);
  s.run();
}

std::vector<Payment> PaymentRepo::list(const std::optional<std::string>& outcome, int limit) {
  auto s =
      db_.prepare(std::string(kColumns) + (outcome ? "WHERE outcome = ?1 " : "") + "ORDER BY seen_at DESC LIMIT ?2");
  if (outcome) s.bind(1, *outcome);
  s.bind(2, std::int64_t{limit});
  std::vector<Payment> out;
  while (s.step()) out.push_back(payment_of(s));
  return out;
}

}  // namespace tseeder::store
