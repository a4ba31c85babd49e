// tseeder admin wallet add|ls|disable and tseeder admin prices set|ls: where crypto payments are
// received (each address checked against its network) and what each plan costs; tseeder admin
// rates set|ls: what each coin is worth.
#include <iostream>

#include "commands/commands.h"
#include "output.h"

namespace tseeder::cli {

void add_admin_wallet_commands(CLI::App& admin, Context& ctx) {
  auto* wallet = admin.add_subcommand("wallet", "receiving addresses for crypto payments");
  wallet->require_subcommand(1);

  auto* add = wallet->add_subcommand("add", "add a receiving address (checked against the network's checksum)");
  auto fields = std::make_shared<std::array<std::string, 3>>();
  add->add_option("--coin", (*fields)[0], "BTC, LTC, USDT or BNB")->required();
  add->add_option("--network", (*fields)[1], "bitcoin, litecoin, tron, solana, polygon or bsc")->required();
  add->add_option("--address", (*fields)[2], "the address as the wallet shows it")->required();
  add->callback([&ctx, fields] {
    auto res = ctx.call("POST", "/admin/wallets",
                        {{"coin", (*fields)[0]}, {"network", (*fields)[1]}, {"address", (*fields)[2]}});
    if (ctx.json) return print_json(res);
    std::cout << "added " << res["wallet"].value("id", "") << ": " << res["wallet"].value("coin", "") << " on "
              << res["wallet"].value("network", "") << "\n";
  });

  wallet->add_subcommand("ls", "every receiving address")->callback([&ctx] {
    auto res = ctx.call("GET", "/admin/wallets");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& w : res["wallets"])
      rows.push_back({w.value("id", ""), w.value("coin", ""), w.value("network", ""), w.value("address", ""),
                      w.value("active", false) ? "active" : "disabled"});
    print_table({"ID", "COIN", "NETWORK", "ADDRESS", "STATE"}, rows);
  });

  auto* disable = wallet->add_subcommand("disable", "stop taking payments at an address");
  auto id = std::make_shared<std::string>();
  auto why = std::make_shared<Why>();
  disable->add_option("id", *id, "the wallet's id (tseeder admin wallet ls)")->required();
  add_why(disable, why, true);
  disable->callback([&ctx, id, why] {
    Json body = Json::object();
    add_why_fields(body, *why);
    auto res = ctx.call("POST", "/admin/wallets/" + url_encode(*id) + "/disable", body);
    if (ctx.json) return print_json(res);
    std::cout << "disabled " << *id << "\n";
  });

  auto* orders = wallet->add_subcommand("orders", "every user's crypto orders, newest first");
  auto status = std::make_shared<std::string>();
  auto user = std::make_shared<std::string>();
  orders->add_option("--status", *status, "pending, confirmed, expired or cancelled");
  orders->add_option("--user", *user, "one user's (id or email)");
  orders->callback([&ctx, status, user] {
    std::string query;
    if (!status->empty()) query += "&status=" + url_encode(*status);
    if (!user->empty()) query += "&user=" + url_encode(resolve_user(ctx, *user));
    auto res = ctx.call("GET", "/admin/orders" + (query.empty() ? "" : "?" + query.substr(1)));
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& o : res["orders"])
      rows.push_back({o.value("id", ""), o.value("user", ""), o.value("plan", ""),
                      o.value("amount", "") + " " + o.value("coin", ""), o.value("network", ""), o.value("status", ""),
                      o["txid"].is_string() ? o["txid"].get<std::string>() : "",
                      local_time_text(o.value("createdAt", Json()))});
    print_table({"ID", "USER", "PLAN", "AMOUNT", "NETWORK", "STATUS", "TX", "MADE"}, rows);
  });

  auto* payments = wallet->add_subcommand("payments", "payments chain watchers saw, newest first");
  auto outcome = std::make_shared<std::string>();
  auto flagged = std::make_shared<bool>(false);
  payments->add_option("--outcome", *outcome, "waiting, applied, late, short or unmatched");
  payments->add_flag("--flagged", *flagged, "only those left for staff: late, short and unmatched");
  payments->callback([&ctx, outcome, flagged] {
    auto res = ctx.call("GET", "/admin/payments" + (outcome->empty() ? "" : "?outcome=" + url_encode(*outcome)));
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : res["payments"]) {
      if (*flagged && !p.value("flagged", false)) continue;
      rows.push_back({p.value("network", ""), p.value("txid", ""), p.value("amountUnits", ""),
                      std::to_string(p.value("confirmations", 0)), p.value("outcome", ""),
                      p["order"].is_string() ? p["order"].get<std::string>() : "-",
                      local_time_text(p.value("seenAt", Json()))});
    }
    print_table({"NETWORK", "TX", "UNITS", "CONFS", "OUTCOME", "ORDER", "SEEN"}, rows);
  });

  auto* confirm = wallet->add_subcommand("confirm", "confirm an order paid, by its transaction: the plan follows");
  auto order = std::make_shared<std::string>();
  auto txid = std::make_shared<std::string>();
  auto confirm_why = std::make_shared<Why>();
  confirm->add_option("order", *order, "the order's id (tseeder admin wallet orders)")->required();
  confirm->add_option("--txid", *txid, "the paying transaction's id, as the explorer shows it")->required();
  add_why(confirm, confirm_why, true);
  confirm->callback([&ctx, order, txid, confirm_why] {
    Json body{{"txid", *txid}};
    add_why_fields(body, *confirm_why);
    auto res = ctx.call("POST", "/admin/orders/" + url_encode(*order) + "/confirm", body);
    if (ctx.json) return print_json(res);
    std::cout << (res.value("changed", false) ? "confirmed " : "already confirmed ") << *order << ": "
              << res["order"].value("user", "") << " is on " << res["order"].value("plan", "") << "\n";
  });

  auto* prices = admin.add_subcommand("prices", "what each plan costs, in US dollars per period");
  prices->require_subcommand(1);
  auto* set = prices->add_subcommand("set", "set a plan's price for a period");
  auto plan = std::make_shared<std::string>();
  auto usd = std::make_shared<std::string>();
  auto days = std::make_shared<std::int64_t>(30);
  auto price_why = std::make_shared<Why>();
  set->add_option("plan", *plan, "the plan's id (tseeder admin plans ls)")->required();
  set->add_option("--usd", *usd, "the price, e.g. 4.85")->required();
  set->add_option("--days", *days, "the period it buys, in days (default 30)");
  add_why(set, price_why, false);
  set->callback([&ctx, plan, usd, days, price_why] {
    Json body{{"usd", *usd}, {"periodDays", *days}};
    add_why_fields(body, *price_why);
    auto res = ctx.call("PUT", "/admin/prices/" + url_encode(*plan), body);
    if (ctx.json) return print_json(res);
    std::cout << *plan << ": " << res["price"].value("usd", "") << " USD per " << *days << " days\n";
  });
  prices->add_subcommand("ls", "every plan's prices")->callback([&ctx] {
    auto res = ctx.call("GET", "/admin/prices");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : res["prices"])
      rows.push_back({p.value("plan", ""), std::to_string(p.value("periodDays", 0)) + " days", p.value("usd", "")});
    print_table({"PLAN", "PERIOD", "USD"}, rows);
  });

  auto* rates = admin.add_subcommand("rates", "what one coin is worth in US dollars (orders use it)");
  rates->require_subcommand(1);
  auto* rate_set = rates->add_subcommand("set", "set a coin's rate");
  auto coin = std::make_shared<std::string>();
  auto rate_usd = std::make_shared<std::string>();
  auto rate_why = std::make_shared<Why>();
  rate_set->add_option("coin", *coin, "BTC, LTC, USDT or BNB")->required();
  rate_set->add_option("--usd", *rate_usd, "US dollars for one coin, e.g. 97000.5 (up to six decimals)")->required();
  add_why(rate_set, rate_why, false);
  rate_set->callback([&ctx, coin, rate_usd, rate_why] {
    Json body{{"usd", *rate_usd}};
    add_why_fields(body, *rate_why);
    auto res = ctx.call("PUT", "/admin/rates/" + url_encode(*coin), body);
    if (ctx.json) return print_json(res);
    std::cout << "1 " << res["rate"].value("coin", "") << " = " << res["rate"].value("usd", "") << " USD\n";
  });
  rates->add_subcommand("ls", "every coin's rate")->callback([&ctx] {
    auto res = ctx.call("GET", "/admin/rates");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : res["rates"])
      rows.push_back({r.value("coin", ""), r.value("usd", ""), local_time_text(r.value("updatedAt", Json()))});
    print_table({"COIN", "USD", "SET"}, rows);
  });
}

}  // namespace tseeder::cli
