// tseeder admin fleet token | tokens | ls | drain | undrain | rm: the machines that run downloads
// for a controller and the tokens they join with.
#include <iostream>

#include "commands/commands.h"
#include "output.h"

namespace tseeder::cli {

void add_admin_fleet_commands(CLI::App& admin, Context& ctx) {
  auto* fleet = admin.add_subcommand("fleet", "the machines that run downloads for this controller");
  fleet->require_subcommand(1);
  auto* token = fleet->add_subcommand("token", "make a join token for a new agent (24 h, one use; shown once)");
  auto note = std::make_shared<std::string>();
  token->add_option("--note", *note, "which machine it is for (up to 200 characters)");
  token->callback([&ctx, note] {
    Json body = Json::object();
    if (!note->empty()) body["note"] = *note;
    auto res = ctx.call("POST", "/admin/fleet/join-tokens", body);
    if (ctx.json) return print_json(res);
    std::cout << res.value("token", "") << "\n"
              << "expires " << local_time_text(res["joinToken"]["expiresAt"]) << "; it is shown only now\n";
  });
  fleet->add_subcommand("tokens", "join tokens made lately, never their secrets")->callback([&ctx] {
    auto res = ctx.call("GET", "/admin/fleet/join-tokens");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    auto text = [](const Json& v) { return v.is_string() ? v.get<std::string>() : std::string("-"); };
    for (const auto& t : res["joinTokens"])
      rows.push_back({t.value("id", ""), local_time_text(t["createdAt"]), local_time_text(t["expiresAt"]),
                      t["usedAt"].is_null() ? "-" : local_time_text(t["usedAt"]), text(t["usedByAgent"]),
                      text(t["note"])});
    print_table({"ID", "MADE", "EXPIRES", "USED", "AGENT", "NOTE"}, rows);
  });
  fleet->add_subcommand("ls", "agents: state, health, load, last heartbeat, version")->callback([&ctx] {
    auto res = ctx.call("GET", "/admin/fleet/agents");
    if (ctx.json) return print_json(res);
    if (res.value("role", "") != "controller")
      std::cout << "this server runs its jobs itself (role: " << res.value("role", "") << ")\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : res["agents"]) {
      const auto& caps = a["capabilities"];
      auto names = [&](const char* key) {
        std::string out;
        for (const auto& e : caps.value(key, Json::array())) out += (out.empty() ? "" : ",") + e.get<std::string>();
        return out.empty() ? std::string("-") : out;
      };
      rows.push_back({a.value("id", ""), a.value("name", ""), a.value("state", ""), a.value("health", ""),
                      std::to_string(a.value("running", 0)) + "/" + std::to_string(a.value("maxJobs", 0)),
                      std::to_string(a.value("score", 0)),
                      a["lastHeartbeatAt"].is_null() ? "-" : local_time_text(a["lastHeartbeatAt"]),
                      a.value("version", ""), names("engines"), names("scanners")});
    }
    print_table({"ID", "NAME", "STATE", "HEALTH", "LOAD", "SCORE", "LAST HEARTBEAT", "VERSION", "ENGINES", "SCANNERS"},
                rows);
  });
  struct AgentAction {
    const char* name;
    const char* help;
    const char* method;
    const char* suffix;
    const char* done;
  };
  for (const auto& act : {AgentAction{"drain", "give an agent no new jobs; running ones finish", "POST", "/drain",
                                      "draining: it takes no new jobs"},
                          AgentAction{"undrain", "let a drained agent take jobs again", "POST", "/undrain",
                                      "active: it takes jobs again"},
                          AgentAction{"rm", "deregister an agent: its credential stops working, its jobs go to others",
                                      "DELETE", "", "removed"}}) {
    auto* cmd = fleet->add_subcommand(act.name, act.help);
    auto id = std::make_shared<std::string>();
    cmd->add_option("agent", *id, "the agent id (tseeder admin fleet ls)")->required();
    // Removing sends the agent's jobs elsewhere: it needs a reason and a ticket.
    const bool destructive = std::string(act.method) == "DELETE";
    auto why = std::make_shared<Why>();
    if (destructive) add_why(cmd, why, true);
    cmd->callback([&ctx, id, act, why, destructive] {
      Json body = Json::object();
      if (destructive) add_why_fields(body, *why);
      auto res = ctx.call(act.method, "/admin/fleet/agents/" + url_encode(*id) + act.suffix, body);
      if (ctx.json) return print_json(res);
      std::cout << "agent " << *id << " " << act.done << "\n";
    });
  }
}

}  // namespace tseeder::cli
