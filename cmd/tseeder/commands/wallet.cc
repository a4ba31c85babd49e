// tseeder wallet prices|buy|orders|show|cancel: a user buys a plan's period in a coin and pays it
// from a wallet app, by the payment link or its QR code drawn in the terminal; wallet checkout and
// portal: by card, at the processor's pages.
#include <iostream>

#include "commands/commands.h"
#include "core/qr_code.h"
#include "output.h"

namespace tseeder::cli {
namespace {

// The QR code of a pending order's payment link, then what to send where.
void print_order(Context& ctx, const Json& o) {
  const std::string status = o.value("status", "");
  std::cout << "order    " << o.value("id", "") << " (" << status << ")\n"
            << "plan     " << o.value("plan", "") << " for " << o.value("periodDays", 0) << " days, "
            << o.value("usd", "") << " USD\n"
            << "pay      " << o.value("amount", "") << " " << o.value("coin", "") << " on " << o.value("network", "")
            << "\n"
            << "to       " << o.value("address", "") << "\n";
  if (o.contains("token") && o["token"].is_string()) std::cout << "token    " << o["token"].get<std::string>() << "\n";
  if (status == "pending") {
    std::cout << "expires  " << local_time_text(o.value("expiresAt", Json())) << "\n"
              << "link     " << o.value("paymentUri", "") << "\n\n";
    // Light modules are drawn: on a terminal, white on black so that any theme scans.
    const bool paint = colour_wanted(ctx.no_color);
    const std::string qr = QrCode::encode(o.value("paymentUri", "")).terminal();
    std::size_t start = 0;
    for (auto end = qr.find('\n'); end != std::string::npos; start = end + 1, end = qr.find('\n', start))
      std::cout << (paint ? "\x1b[97;40m" : "") << qr.substr(start, end - start) << (paint ? "\x1b[0m" : "") << "\n";
    std::cout << "\nSend exactly this amount: it tells your payment apart from others to the same address.\n";
  } else if (status == "confirmed") {
    std::cout << "paid by  " << o.value("txid", "") << "\n";
  }
}

}  // namespace

void add_wallet_commands(CLI::App& app, Context& ctx) {
  auto* wallet = app.add_subcommand("wallet", "buy a plan with crypto: prices, orders and payment links");
  wallet->require_subcommand(1);

  wallet->add_subcommand("prices", "what each plan costs and which coins are taken")->callback([&ctx] {
    auto res = ctx.call("GET", "/billing/prices");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : res["prices"])
      rows.push_back({p.value("plan", ""), std::to_string(p.value("periodDays", 0)) + " days", p.value("usd", "")});
    print_table({"PLAN", "PERIOD", "USD"}, rows);
    std::string coins;
    for (const auto& c : res["coins"])
      coins += (coins.empty() ? "" : ", ") + c.value("coin", "") + " on " + c.value("network", "");
    std::cout << "\ncoins taken: " << (coins.empty() ? "none yet" : coins) << "\n";
  });

  auto* buy = wallet->add_subcommand("buy", "order a plan's period and show where to pay");
  auto plan = std::make_shared<std::string>();
  auto coin = std::make_shared<std::string>();
  auto network = std::make_shared<std::string>();
  auto days = std::make_shared<std::int64_t>(30);
  buy->add_option("plan", *plan, "the plan to buy (tseeder wallet prices)")->required();
  buy->add_option("--coin", *coin, "BTC, LTC, USDT or BNB")->required();
  buy->add_option("--network", *network, "where the coin is taken on several networks (USDT: tron, solana, polygon)");
  buy->add_option("--days", *days, "the period to buy, in days (default 30)");
  buy->callback([&ctx, plan, coin, network, days] {
    Json body{{"plan", *plan}, {"coin", *coin}, {"periodDays", *days}};
    if (!network->empty()) body["network"] = *network;
    auto res = ctx.call("POST", "/billing/crypto/orders", body);
    if (ctx.json) return print_json(res);
    print_order(ctx, res["order"]);
  });

  auto* checkout = wallet->add_subcommand("checkout", "pay a plan by card: prints the payment page's link");
  auto card_plan = std::make_shared<std::string>();
  auto card_days = std::make_shared<std::int64_t>(30);
  checkout->add_option("plan", *card_plan, "the plan to buy (tseeder wallet prices)")->required();
  checkout->add_option("--days", *card_days, "how often it renews, in days (default 30)");
  checkout->callback([&ctx, card_plan, card_days] {
    auto res = ctx.call("POST", "/billing/checkout", {{"plan", *card_plan}, {"periodDays", *card_days}});
    if (ctx.json) return print_json(res);
    std::cout << "pay at: " << res.value("url", "") << "\nthe plan follows once the payment is confirmed\n";
  });
  wallet->add_subcommand("portal", "manage your card and subscription: prints the portal's link")->callback([&ctx] {
    auto res = ctx.call("POST", "/billing/portal", Json::object());
    if (ctx.json) return print_json(res);
    std::cout << res.value("url", "") << "\n";
  });

  auto* orders = wallet->add_subcommand("orders", "your orders, newest first");
  auto status = std::make_shared<std::string>();
  orders->add_option("--status", *status, "pending, confirmed, expired or cancelled");
  orders->callback([&ctx, status] {
    auto res = ctx.call("GET", "/billing/crypto/orders" + (status->empty() ? "" : "?status=" + url_encode(*status)));
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& o : res["orders"])
      rows.push_back({o.value("id", ""), o.value("plan", ""), o.value("amount", "") + " " + o.value("coin", ""),
                      o.value("status", ""), local_time_text(o.value("createdAt", Json()))});
    print_table({"ID", "PLAN", "AMOUNT", "STATUS", "MADE"}, rows);
  });

  auto* show = wallet->add_subcommand("show", "one of your orders, with its payment link and QR code");
  auto id = std::make_shared<std::string>();
  show->add_option("order", *id, "the order's id (tseeder wallet orders)")->required();
  show->callback([&ctx, id] {
    auto res = ctx.call("GET", "/billing/crypto/orders/" + url_encode(*id));
    if (ctx.json) return print_json(res);
    print_order(ctx, res["order"]);
  });

  auto* cancel = wallet->add_subcommand("cancel", "cancel a pending order (do not pay it afterwards)");
  auto cancel_id = std::make_shared<std::string>();
  cancel->add_option("order", *cancel_id, "the order's id")->required();
  cancel->callback([&ctx, cancel_id] {
    auto res = ctx.call("POST", "/billing/crypto/orders/" + url_encode(*cancel_id) + "/cancel", Json::object());
    if (ctx.json) return print_json(res);
    std::cout << "cancelled " << *cancel_id << "\n";
  });
}

}  // namespace tseeder::cli
