// tseeder admin provider show | switch | history | login: where torrent jobs run, and the
// versioned history of the switches.
#include <chrono>
#include <iostream>
#include <thread>

#include "commands/commands.h"
#include "core/error.h"
#include "core/units.h"
#include "output.h"

namespace tseeder::cli {

namespace {

// "3.2 GiB of 100.0 GiB", or "unknown" when the service did not say.
std::string used_of(const Json& account, const char* used, const char* max) {
  const auto u = account.value(used, Json()), m = account.value(max, Json());
  if (!u.is_number() || !m.is_number()) return "unknown";
  return format_bytes(u.get<std::uint64_t>()) + " of " + format_bytes(m.get<std::uint64_t>());
}

// One line per remote provider's account: whether it works, and what it holds.
void print_accounts(const Json& providers) {
  for (const auto& p : providers) {
    if (!p.contains("status")) continue;
    const auto& st = p["status"];
    std::cout << p.value("name", "") << ": "
              << (st.value("healthy", false) ? std::string("healthy")
                                             : "unhealthy: " + st.value("reason", Json("no reason given")).dump());
    if (st.contains("account") && st["account"].is_object())
      std::cout << "; space " << used_of(st["account"], "spaceUsed", "spaceMax") << ", bandwidth "
                << used_of(st["account"], "bandwidthUsed", "bandwidthMax");
    std::cout << "\n";
  }
}

// Signs the daemon in with a device code: the operator approves it in a browser meanwhile.
void device_login(Context& ctx, const std::string& provider) {
  auto start = ctx.call("POST", "/admin/providers/login", Json{{"provider", provider}});
  const auto interval = std::clamp<long long>(start.value("interval", 5LL), 1, 60);
  const auto expires = std::clamp<long long>(start.value("expiresIn", 600LL), 10, 3600);
  std::cout << "Open " << start.value("verificationUrl", "") << " and enter the code " << start.value("userCode", "")
            << "\nwaiting for approval (up to " << expires / 60 << " min)..." << std::endl;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(expires);
  while (std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::seconds(interval));
    const auto status =
        ctx.call("POST", "/admin/providers/login/poll", Json{{"provider", provider}}).value("status", "");
    if (status == "approved") {
      std::cout << provider << ": signed in; the refresh token is kept in the daemon's DATA_DIR/secrets\n";
      return;
    }
    if (status != "pending")
      throw Error(Errc::conflict, provider + " login " + status,
                  "run `tseeder admin provider login " + provider + "` again");
  }
  throw Error(Errc::unavailable, provider + " login was not approved in time",
              "run `tseeder admin provider login " + provider + "` again");
}

}  // namespace

void add_admin_provider_commands(CLI::App& admin, Context& ctx) {
  auto* provider = admin.add_subcommand("provider", "where torrent jobs run: local (libtorrent) or seedr");
  provider->require_subcommand(1);

  provider->add_subcommand("show", "the active provider, and which providers' engines are loaded")->callback([&ctx] {
    auto res = ctx.call("GET", "/admin/providers");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : res.value("providers", Json::array()))
      rows.push_back({p.value("name", ""), p.value("active", false) ? "active" : "",
                      p.value("engine", "") + (p.value("loaded", false) ? "" : " (not loaded)"), p.value("about", "")});
    print_table({"PROVIDER", "STATE", "ENGINE", "ABOUT"}, rows);
    print_accounts(res.value("providers", Json::array()));
    std::cout << "version " << res.value("version", 0) << "\n";
  });

  auto* sw =
      provider->add_subcommand("switch", "send new torrent jobs to PROVIDER; jobs in flight finish where they are");
  auto name = std::make_shared<std::string>();
  auto why = std::make_shared<Why>();
  sw->add_option("provider", *name, "local or seedr")->required();
  add_why(sw, why, true);
  sw->callback([&ctx, name, why] {
    Json body{{"provider", *name}};
    add_why_fields(body, *why);
    auto res = ctx.call("POST", "/admin/providers/switch", body);
    if (ctx.json) return print_json(res);
    const auto in_flight = res.value("inFlight", Json::array());
    std::cout << "provider " << res.value("from", "") << " -> " << res.value("to", "") << " (version "
              << res.value("version", 0) << "); " << in_flight.size() << " job(s) in flight finish on "
              << res.value("from", "") << "\n";
    for (const auto& j : in_flight) std::cout << "  " << j.value("id", "") << " " << j.value("status", "") << "\n";
  });

  provider->add_subcommand("history", "every switch, newest first")->callback([&ctx] {
    auto changes = ctx.call_all("/admin/providers/history?limit=1000", "changes");
    if (ctx.json) return print_json(Json{{"changes", changes}});
    print_setting_changes(changes);
  });

  auto* login = provider->add_subcommand(
      "login",
      "sign the daemon in to a provider's account with a device code (the refresh token stays with the daemon)");
  auto which = std::make_shared<std::string>();
  login->add_option("provider", *which, "seedr")->required()->check(CLI::IsMember({"seedr"}));
  login->callback([&ctx, which] { device_login(ctx, *which); });
}

}  // namespace tseeder::cli
