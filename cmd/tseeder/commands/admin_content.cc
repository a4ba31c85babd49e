// tseeder admin blocklist add | rm | ls: content staff keep off this daemon.
#include <iostream>

#include "commands/commands.h"
#include "output.h"

namespace tseeder::cli {

void add_admin_content_commands(CLI::App& admin, Context& ctx) {
  auto* block = admin.add_subcommand("blocklist", "infohashes nobody may fetch through this daemon");
  block->require_subcommand(1);

  block->add_subcommand("ls", "list blocked infohashes")->callback([&ctx] {
    auto res = ctx.call("GET", "/admin/blocklist");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : res["entries"])
      rows.push_back({e.value("infohash", ""), e["addedBy"].is_string() ? e["addedBy"].get<std::string>() : "-",
                      e.value("reason", "")});
    print_table({"INFOHASH", "BY", "REASON"}, rows);
  });

  auto* add = block->add_subcommand("add", "block an infohash; its unfinished jobs fail with BLOCKED");
  auto hash = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  add->add_option("infohash", *hash, "v1 (40 hex) or v2 (64 hex) infohash")->required();
  add->add_option("--reason", *reason, "why (at least 10 characters)")->required();
  add->callback([&ctx, hash, reason] {
    auto res = ctx.call("POST", "/admin/blocklist", {{"infohash", *hash}, {"reason", *reason}});
    if (ctx.json) return print_json(res);
    std::cout << "blocked " << res["entry"].value("infohash", "") << "; " << res.value("jobsStopped", 0)
              << " unfinished job(s) stopped\n";
  });

  auto* rm = block->add_subcommand("rm", "unblock an infohash");
  auto rm_hash = std::make_shared<std::string>();
  auto rm_reason = std::make_shared<std::string>();
  rm->add_option("infohash", *rm_hash, "the blocked infohash")->required();
  rm->add_option("--reason", *rm_reason, "why, for the audit log");
  rm->callback([&ctx, rm_hash, rm_reason] {
    Json body = Json::object();
    if (!rm_reason->empty()) body["reason"] = *rm_reason;
    ctx.call("DELETE", "/admin/blocklist/" + url_encode(*rm_hash), body);
    if (!ctx.json) std::cout << "unblocked " << *rm_hash << "\n";
  });
}

}  // namespace tseeder::cli
