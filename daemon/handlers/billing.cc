// /billing/crypto/orders: users buy a plan's period in a coin, see and cancel their own orders and
// fetch the payment link as a QR code; /billing/prices says what can be bought.
#include <set>
#include <utility>

#include "billing/crypto_orders.h"
#include "billing/payment_uri.h"
#include "core/error.h"
#include "core/qr_code.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {
namespace {

Json order_json(const store::Order& o) {
  Json j = billing::to_json(o);
  if (o.status == "pending") {
    const std::string base = "/billing/crypto/orders/" + o.id + "/qr";
    j["qr"] = {{"svg", base + ".svg"}, {"png", base + ".png"}};
  }
  return j;
}

Json order_list(BillingApi& api, Request& req, std::optional<std::string> user) {
  auto page = paging_query(req, 50, 200, Offset::refused);
  auto rows = api.orders.list({std::move(user), req.query_param("status"), page.fetch(), page.after});
  Json next = next_page(req, page, rows, [](const store::Order& o) { return store::Cursor{o.created_at_ms, o.id}; });
  Json list = Json::array();
  for (const auto& o : rows) list.push_back(order_json(o));
  return {{"orders", std::move(list)}, {"next", std::move(next)}};
}

Reply order_qr(BillingApi& api, Request& req, bool png) {
  const auto o = api.orders.own(req.who(), req.params.at("id"));
  if (o.status != "pending")
    throw Error(Errc::conflict, "order " + o.id + " is " + o.status + "; only a pending order is paid",
                "see tseeder wallet show " + o.id);
  const auto qr = QrCode::encode(billing::payment_uri(o.coin, o.network, o.address, o.amount_units));
  Reply r;
  r.content_type = png ? "image/png" : "image/svg+xml";
  r.body = png ? qr.png() : qr.svg();
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

Reply billing_prices(BillingApi& api, Request&) {
  Json prices = Json::array(), coins = Json::array();
  for (const auto& p : api.wallets.prices()) prices.push_back(billing::to_json(p));
  std::set<std::pair<std::string, std::string>> taken;  // several wallets may take one coin on one network
  for (const auto& w : api.wallets.list())
    if (w.active && taken.emplace(w.coin, w.network).second)
      coins.push_back({{"coin", w.coin}, {"network", w.network}});
  return Reply::json(200, {{"prices", std::move(prices)}, {"coins", std::move(coins)}});
}

Reply billing_orders_create(BillingApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"plan", "coin", "network", "periodDays"});
  const billing::NewOrder n{required_string(body, "plan"), required_string(body, "coin"),
                            optional_string(body, "network"), period_days_field(body)};
  const auto o = api.orders.create(req.who(), n, req.meta);
  return Reply::json(201, {{"order", order_json(o)}});
}

Reply billing_orders_list(BillingApi& api, Request& req) {
  return Reply::json(200, order_list(api, req, req.who().user.value));
}

Reply billing_orders_get(BillingApi& api, Request& req) {
  return Reply::json(200, {{"order", order_json(api.orders.own(req.who(), req.params.at("id")))}});
}

Reply billing_orders_cancel(BillingApi& api, Request& req) {
  return Reply::json(200, {{"order", order_json(api.orders.cancel(req.who(), req.params.at("id"), req.meta))}});
}

Reply billing_order_qr_svg(BillingApi& api, Request& req) {
  return order_qr(api, req, false);
}

Reply billing_order_qr_png(BillingApi& api, Request& req) {
  return order_qr(api, req, true);
}

Reply admin_orders_list(BillingApi& api, Request& req) {
  return Reply::json(200, order_list(api, req, req.query_param("user")));
}

Reply admin_orders_confirm(BillingApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"txid", "reason", "ticketId"});
  const auto c = api.confirmations.confirm(req.who(), req.params.at("id"), required_string(body, "txid"),
                                           justification(body), req.meta);
  return Reply::json(200, {{"order", order_json(c.order)}, {"changed", c.changed}});
}

Reply admin_payments_list(BillingApi& api, Request& req) {
  auto page = paging_query(req, 50, 500, Offset::refused);
  if (page.after) throw Error(Errc::invalid_argument, "payments are listed newest first up to limit", {}, "after");
  Json list = Json::array();
  for (const auto& p : api.watch.payments(req.query_param("outcome"), page.limit)) list.push_back(billing::to_json(p));
  return Reply::json(200, {{"payments", std::move(list)}});
}

}  // namespace tseeder::daemon::handlers
