// /admin/wallets, /admin/prices and /admin/rates: where crypto payments are received, what plans
// cost, and what each coin is worth.
#include "billing/wallet_admin.h"
#include "core/error.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

std::int64_t period_days_field(const Json& body) {
  // Bounds per use (a price, an order, a card subscription) are the services'; this one only
  // keeps the number whole.
  return static_cast<std::int64_t>(optional_uint(body, "periodDays", 1'000'000).value_or(30));
}

Reply admin_wallets_list(BillingAdminApi& api, Request&) {
  Json list = Json::array();
  for (const auto& w : api.wallets.list()) list.push_back(billing::to_json(w));
  return Reply::json(200, {{"wallets", std::move(list)}});
}

Reply admin_wallets_add(BillingAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"coin", "network", "address"});
  auto w = api.wallets.add(
      req.who(), {required_string(body, "coin"), required_string(body, "network"), required_string(body, "address")},
      req.meta);
  return Reply::json(201, {{"wallet", billing::to_json(w)}});
}

Reply admin_wallets_disable(BillingAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"reason", "ticketId"});
  auto w = api.wallets.disable(req.who(), req.params.at("id"), justification(body), req.meta);
  return Reply::json(200, {{"wallet", billing::to_json(w)}});
}

Reply admin_prices_list(BillingAdminApi& api, Request&) {
  Json list = Json::array();
  for (const auto& p : api.wallets.prices()) list.push_back(billing::to_json(p));
  return Reply::json(200, {{"prices", std::move(list)}});
}

Reply admin_prices_set(BillingAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"usd", "periodDays", "reason", "ticketId"});
  auto p = api.wallets.set_price(req.who(), req.params.at("plan"), period_days_field(body),
                                 required_string(body, "usd"), justification(body), req.meta);
  return Reply::json(200, {{"price", billing::to_json(p)}});
}

Reply admin_rates_list(BillingAdminApi& api, Request&) {
  Json list = Json::array();
  for (const auto& r : api.wallets.rates()) list.push_back(billing::to_json(r));
  return Reply::json(200, {{"rates", std::move(list)}});
}

Reply admin_rates_set(BillingAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"usd", "reason", "ticketId"});
  auto r = api.wallets.set_rate(req.who(), req.params.at("coin"), required_string(body, "usd"), justification(body),
                                req.meta);
  return Reply::json(200, {{"rate", billing::to_json(r)}});
}

}  // namespace tseeder::daemon::handlers
