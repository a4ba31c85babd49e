#include "billing/order_confirmations.h"

#include <algorithm>
#include <cctype>

#include "billing/address_codecs.h"
#include "core/error.h"
#include "core/ids.h"

namespace tseeder::billing {
std::string check_txid(const std::string& network, const std::string& txid) {
  std::string t = txid;
  if (network == "solana") {
    // A 64-byte signature in base58: 64 to 88 characters.
    if (t.size() >= 64 && t.size() <= 88 && base58_decode(t)) return t;
    throw Error(Errc::invalid_argument, "a solana transaction id is a base58 signature of 64 to 88 characters",
                "copy it from the explorer", "txid");
  }
  std::transform(t.begin(), t.end(), t.begin(), [](char c) { return std::tolower(static_cast<unsigned char>(c)); });
  const bool evm = network == "polygon" || network == "bsc";
  if (evm && t.starts_with("0x")) t = t.substr(2);
  if (!is_lower_hex(t, 64))
    throw Error(Errc::invalid_argument,
                "a " + network + " transaction id is 64 hex digits" + (evm ? " after 0x" : std::string()),
                "copy it from the explorer", "txid");
  return evm ? "0x" + t : t;
}

Confirmation OrderConfirmations::confirm(const auth::Principal& actor, const std::string& order_id,
                                         const std::string& txid_text, const auth::Justification& why,
                                         const auth::RequestMeta& meta) {
  auth::check_justification(why, true);
  store::OrderRepo orders(db_);
  store::Transaction tx(db_);
  auto o = orders.find(order_id);
  if (!o)
    throw Error(Errc::not_found, "order '" + order_id.substr(0, 40) + "' not found", "see tseeder admin wallet orders");
  const std::string txid = check_txid(o->network, txid_text);
  if (o->status == "confirmed") {
    if (o->txid == txid) return {*o, false};
    throw Error(Errc::conflict, "order " + o->id + " is confirmed already, with transaction " + o->txid.value_or(""));
  }
  // A payment seen in time keeps an order from expiring (OrderRepo::due_to_expire).
  if (o->status == "pending" && !o->txid && o->expires_at_ms <= clock_.now_ms()) o->status = "expired";
  if (o->status != "pending")
    throw Error(Errc::conflict, "order " + o->id + " is " + o->status + "; it can no longer be confirmed",
                "settle a late payment by hand: tseeder admin users plan");
  if (auto other = orders.paid_by(o->network, txid); other && other->id != o->id)
    throw Error(Errc::conflict, "transaction " + txid + " paid order " + other->id + " already",
                "one transaction pays one order");
  orders.confirm(o->id, txid, 0, actor.user.value, clock_.now_ms());
  const auto period = plans_.grant(UserId{o->user_id}, o->plan_id, o->period_days, "order:" + o->id);
  audit_.record(&actor, meta, "order.confirm", "order:" + o->id,
                {{"txid", txid},
                 {"user", o->user_id},
                 {"plan", o->plan_id},
                 {"reason", why.reason},
                 {"ticketId", why.ticket_id}});
  tx.commit();
  plans_.announce(UserId{o->user_id}, period);
  return {*orders.find(o->id), true};
}

PaidPeriod OrderConfirmations::confirm_watched(const store::Order& o, const std::string& txid,
                                               std::int64_t confirmations, const std::string& watcher) {
  if (!store::OrderRepo(db_).confirm(o.id, txid, confirmations, "watcher:" + watcher, clock_.now_ms()))
    throw Error(Errc::conflict, "order " + o.id + " is no longer pending");
  const auto period = plans_.grant(UserId{o.user_id}, o.plan_id, o.period_days, "order:" + o.id);
  audit_.record_system("order.confirm", "order:" + o.id,
                       {{"txid", txid},
                        {"user", o.user_id},
                        {"plan", o.plan_id},
                        {"confirmations", confirmations},
                        {"watcher", watcher}});
  return period;
}

}  // namespace tseeder::billing
