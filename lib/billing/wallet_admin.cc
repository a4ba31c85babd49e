#include "billing/wallet_admin.h"

#include <algorithm>
#include <cctype>

#include "billing/address_check.h"
#include "billing/amounts.h"
#include "core/error.h"
#include "core/ids.h"
#include "model/job.h"
#include "store/plan_repo.h"

namespace tseeder::billing {
namespace {

constexpr std::int64_t kMaxPriceCents = 100'000'000;            // 1,000,000.00 USD
constexpr std::int64_t kMaxRateMicros = 1'000'000'000'000'000;  // 1,000,000,000 USD per coin

std::string shown(const store::Wallet& w) {
  return w.coin + " on " + w.network + " to " + w.address;
}

}  // namespace

std::int64_t parse_usd(const std::string& text, int decimals, std::int64_t most) {
  const auto dot = text.find('.');
  const std::string whole = text.substr(0, dot), frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  auto digits = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  if (whole.empty() || whole.size() > 10 || !digits(whole) || frac.size() > static_cast<std::size_t>(decimals) ||
      !digits(frac) || (dot != std::string::npos && frac.empty()))
    throw Error(Errc::invalid_argument, "'" + text.substr(0, 40) + "' is not an amount of US dollars",
                "e.g. 4.85: digits, at most " + std::to_string(decimals) + " after the point", "usd");
  std::int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const std::int64_t units =
      std::stoll(whole) * scale + (frac.empty() ? 0 : std::stoll(frac + std::string(decimals - frac.size(), '0')));
  if (units < 1 || units > most)
    throw Error(Errc::invalid_argument, "the amount must be above 0 and at most " + usd_text(most, decimals) + " USD",
                {}, "usd");
  return units;
}

PricedPlan priced_plan(store::Db& db, const std::string& plan, std::int64_t period_days) {
  auto p = store::PlanRepo(db).find(plan);
  if (!p)
    throw Error(Errc::invalid_argument, "plan '" + plan.substr(0, 40) + "' does not exist", "see tseeder wallet prices",
                "plan");
  auto price = store::WalletRepo(db).price(plan, period_days);
  if (!price)
    throw Error(Errc::invalid_argument, "plan '" + plan + "' has no price for " + std::to_string(period_days) + " days",
                "see tseeder wallet prices", "plan");
  return {std::move(*p), std::move(*price)};
}

std::string usd_text(std::int64_t units, int decimals) {
  return fixed_point_text(std::to_string(units), decimals);
}

store::Wallet WalletAdmin::add(const auth::Principal& actor, NewWallet n, const auth::RequestMeta& meta) {
  n.coin = coin_name(n.coin);
  n.network = network_name(n.network);
  check_coin_network(n.coin, n.network);
  check_address(n.network, n.address);
  store::Wallet w{random_hex_id(), n.coin, n.network, n.address, true, actor.user.value, clock_.now_ms()};
  store::Transaction tx(db_);
  if (!store::WalletRepo(db_).insert(w))
    throw Error(Errc::conflict, "the " + w.network + " address " + w.address + " is a wallet already",
                "see tseeder admin wallet ls");
  history_.record(actor, {"wallet added", ""}, {{"wallet." + w.id, "(none)", "active: " + shown(w)}});
  audit_.record(&actor, meta, "wallet.add", "wallet:" + w.id,
                {{"coin", w.coin}, {"network", w.network}, {"address", w.address}});
  tx.commit();
  return w;
}

store::Wallet WalletAdmin::disable(const auth::Principal& actor, const std::string& id, const auth::Justification& why,
                                   const auth::RequestMeta& meta) {
  auth::check_justification(why, true);
  store::WalletRepo repo(db_);
  auto w = repo.find(id);
  if (!w) throw Error(Errc::not_found, "wallet '" + id.substr(0, 40) + "' not found", "see tseeder admin wallet ls");
  if (!w->active) throw Error(Errc::conflict, "wallet " + id + " is disabled already");
  store::Transaction tx(db_);
  repo.set_active(id, false);
  history_.record(actor, why, {{"wallet." + id, "active: " + shown(*w), "disabled: " + shown(*w)}});
  audit_.record(&actor, meta, "wallet.disable", "wallet:" + id, {{"reason", why.reason}, {"ticketId", why.ticket_id}});
  tx.commit();
  w->active = false;
  return *w;
}

store::Price WalletAdmin::set_price(const auth::Principal& actor, const std::string& plan, std::int64_t period_days,
                                    const std::string& usd, const auth::Justification& why,
                                    const auth::RequestMeta& meta) {
  if (!store::PlanRepo(db_).find(plan))
    throw Error(Errc::not_found, "plan '" + plan.substr(0, 40) + "' not found", "see tseeder admin plans ls");
  if (period_days < 1 || period_days > 3660)
    throw Error(Errc::invalid_argument, "the period must be 1 to 3660 days", {}, "periodDays");
  auth::check_justification(why, false);
  store::Price p{plan, period_days, parse_usd(usd, 2, kMaxPriceCents), actor.user.value, clock_.now_ms()};
  store::Transaction tx(db_);
  const auto before = store::WalletRepo(db_).set_price(p);
  const std::string key = "price." + plan + "." + std::to_string(period_days) + "d";
  history_.record(actor, why, {{key, before ? usd_text(before->usd_cents, 2) : "(none)", usd_text(p.usd_cents, 2)}});
  audit_.record(&actor, meta, "price.set", "plan:" + plan,
                {{"periodDays", period_days},
                 {"usdCents", p.usd_cents},
                 {"beforeUsdCents", before ? Json(before->usd_cents) : Json()},
                 {"reason", why.reason},
                 {"ticketId", why.ticket_id}});
  tx.commit();
  return p;
}

store::Rate WalletAdmin::set_rate(const auth::Principal& actor, const std::string& coin_text, const std::string& usd,
                                  const auth::Justification& why, const auth::RequestMeta& meta) {
  const std::string coin = coin_name(coin_text);
  coin_decimals(coin);  // a coin that is taken, or Error naming those that are
  auth::check_justification(why, false);
  store::Rate r{coin, parse_usd(usd, 6, kMaxRateMicros), actor.user.value, clock_.now_ms()};
  store::Transaction tx(db_);
  const auto before = store::WalletRepo(db_).set_rate(r);
  history_.record(actor, why,
                  {{"rate." + coin, before ? usd_text(before->usd_micros, 6) : "(none)", usd_text(r.usd_micros, 6)}});
  audit_.record(&actor, meta, "rate.set", "coin:" + coin,
                {{"usdMicros", r.usd_micros},
                 {"beforeUsdMicros", before ? Json(before->usd_micros) : Json()},
                 {"reason", why.reason},
                 {"ticketId", why.ticket_id}});
  tx.commit();
  return r;
}

Json to_json(const store::Rate& r) {
  return {{"coin", r.coin},
          {"usdMicros", r.usd_micros},
          {"usd", usd_text(r.usd_micros, 6)},
          {"updatedBy", or_null(r.updated_by)},
          {"updatedAt", jobs::iso8601(r.updated_at_ms)}};
}

Json to_json(const store::Wallet& w) {
  return {{"id", w.id},
          {"coin", w.coin},
          {"network", w.network},
          {"address", w.address},
          {"active", w.active},
          {"createdBy", or_null(w.created_by)},
          {"createdAt", jobs::iso8601(w.created_at_ms)}};
}

Json to_json(const store::Price& p) {
  return {{"plan", p.plan_id},
          {"periodDays", p.period_days},
          {"usdCents", p.usd_cents},
          {"usd", usd_text(p.usd_cents, 2)},
          {"updatedBy", or_null(p.updated_by)},
          {"updatedAt", jobs::iso8601(p.updated_at_ms)}};
}

}  // namespace tseeder::billing
