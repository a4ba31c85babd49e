// tseeder admin provider show | switch | history | login: where torrent jobs run, and the
// versioned history of the switches.
#include <iostream>

#include "commands/commands.h"
#include "core/error.h"
#include "output.h"

namespace tseeder::cli {

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
    std::vector<std::vector<std::string>> rows;
    auto text = [](const Json& v) { return v.is_string() ? v.get<std::string>() : std::string("-"); };
    for (const auto& c : changes)
      rows.push_back({std::to_string(c.value("version", 0)), local_time_text(c.value("at", Json())),
                      text(c.value("from", Json())) + " -> " + text(c.value("to", Json())),
                      text(c.value("actor", Json())), c.value("ticketId", ""), c.value("reason", "")});
    print_table({"VERSION", "AT", "CHANGE", "BY", "TICKET", "REASON"}, rows);
  });

  auto* login = provider->add_subcommand("login", "sign this daemon in to a provider's account");
  auto which = std::make_shared<std::string>();
  login->add_option("provider", *which, "seedr")->required()->check(CLI::IsMember({"seedr"}));
  login->callback([which] {  // holds the string the option writes to
    throw Error(Errc::not_implemented, "provider login is not implemented yet",
                "the seedr engine is not built yet; torrent jobs run locally");
  });
}

}  // namespace tseeder::cli
