#include "billing/payment_watch.h"

#include "billing/crypto_orders.h"
#include "core/error.h"
#include "model/job.h"
#include "store/order_repo.h"

namespace tseeder::billing {
namespace {

constexpr std::int64_t kLateWindowMs = 86'400'000;  // ended orders are watched for a day

// Decimal digits without leading zeros compare by length first.
bool units_below(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> PaymentWatch::addresses() {
  return store::OrderRepo(db_).watched_addresses(clock_.now_ms() - kLateWindowMs);
}

WatchRound PaymentWatch::observe(const std::string& watcher, const std::string& network, const std::string& address,
                                 const std::vector<ObservedPayment>& seen) {
  std::vector<ObservedPayment> checked;
  for (auto p : seen) {
    try {
      p.txid = check_txid(network, p.txid);
    } catch (const Error&) {
      throw Error(Errc::plugin, "chain watcher " + watcher + " gave a transaction id that is not " + network +
                                    "'s: " + p.txid.substr(0, 100));
    }
    p.amount_units.erase(0, std::min(p.amount_units.find_first_not_of('0'), p.amount_units.size() - 1));
    checked.push_back(std::move(p));
  }
  WatchRound round;
  std::vector<std::pair<store::Order, PaidPeriod>> granted;
  store::PaymentRepo payments(db_);
  store::OrderRepo orders(db_);
  const std::int64_t now = clock_.now_ms();
  auto flag = [&](const store::Payment& p) {
    audit_.record_system("payment.flagged", "payment:" + p.network + ":" + p.txid,
                         {{"outcome", p.outcome},
                          {"address", p.address},
                          {"amountUnits", p.amount_units},
                          {"order", or_null(p.order_id)}});
    ++round.flagged;
  };
  auto confirm = [&](const store::Order& o, const ObservedPayment& p) {
    granted.emplace_back(o, confirmations_.confirm_watched(o, p.txid, p.confirmations, watcher));
    ++round.confirmed;
  };
  auto enough = [this](const store::Order& o, std::int64_t n) {
    const auto it = required_.find(o.coin);
    return n >= (it == required_.end() ? 1 : it->second);
  };

  store::Transaction tx(db_);
  for (const auto& p : checked) {
    if (auto known = payments.find(network, p.txid)) {
      if (known->address != address) continue;  // one transaction, taken once
      std::string outcome = known->outcome;
      if (outcome == "waiting") {
        const auto o = orders.find(known->order_id.value_or(""));
        if (!o || o->status != "pending") {
          outcome = o && o->status == "confirmed" && o->txid == p.txid ? "applied" : "late";
          if (outcome == "late") {
            auto late = *known;
            late.outcome = outcome;
            flag(late);
          }
        } else if (enough(*o, p.confirmations)) {
          confirm(*o, p);
          outcome = "applied";
        } else if (p.confirmations != known->confirmations) {
          orders.set_seen(o->id, p.txid, p.confirmations);
        }
      }
      if (outcome != known->outcome || p.confirmations != known->confirmations)
        payments.update(network, p.txid, p.confirmations, outcome, now);
      continue;
    }
    ++round.seen;
    store::Payment rec{network, p.txid, address, p.amount_units, p.confirmations, std::nullopt, "", watcher, now, now};
    const auto pending = orders.pending_for(network, address, p.amount_units);
    if (pending && !pending->txid) {
      const auto& o = pending;
      rec.order_id = o->id;
      rec.outcome = enough(*o, p.confirmations) ? "applied" : "waiting";
      payments.insert(rec);
      if (rec.outcome == "applied") {
        confirm(*o, p);
      } else {
        orders.set_seen(o->id, p.txid, p.confirmations);
        audit_.record_system("payment.seen", "order:" + o->id,
                             {{"txid", p.txid}, {"confirmations", p.confirmations}, {"watcher", watcher}});
      }
      continue;
    }
    if (pending) {
      rec.order_id = pending->id;  // a second payment of an order already paid
      rec.outcome = "unmatched";
    } else if (auto ended = orders.ended_for(network, address, p.amount_units, now - kLateWindowMs)) {
      rec.order_id = ended->id;
      rec.outcome = "late";
    } else {
      std::vector<std::string> above;  // pending orders this payment falls short of
      for (const auto& o : orders.pending_at(network, address))
        if (units_below(p.amount_units, o.amount_units)) above.push_back(o.id);
      rec.outcome = above.empty() ? "unmatched" : "short";
      if (above.size() == 1) rec.order_id = above.front();
    }
    payments.insert(rec);
    flag(rec);
  }
  tx.commit();
  for (const auto& [order, period] : granted) confirmations_.announce(order, period);
  return round;
}

std::vector<store::Payment> PaymentWatch::payments(const std::optional<std::string>& outcome, int limit) {
  if (outcome && *outcome != "waiting" && *outcome != "applied" && *outcome != "late" && *outcome != "short" &&
      *outcome != "unmatched")
    throw Error(Errc::invalid_argument, "outcome '" + outcome->substr(0, 20) + "' is not a payment outcome",
                "waiting, applied, late, short or unmatched", "outcome");
  return store::PaymentRepo(db_).list(outcome, limit);
}

Json to_json(const store::Payment& p) {
  return {{"network", p.network},
          {"txid", p.txid},
          {"address", p.address},
          {"amountUnits", p.amount_units},
          {"confirmations", p.confirmations},
          {"order", or_null(p.order_id)},
          {"outcome", p.outcome},
          {"flagged", p.outcome == "late" || p.outcome == "short" || p.outcome == "unmatched"},
          {"watcher", p.watcher},
          {"seenAt", jobs::iso8601(p.seen_at_ms)},
          {"updatedAt", jobs::iso8601(p.updated_at_ms)}};
}

}  // namespace tseeder::billing
