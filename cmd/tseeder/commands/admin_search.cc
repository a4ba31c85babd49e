// tseeder admin search Q: accounts, jobs and audit entries that match, grouped by kind.
#include <iostream>

#include "commands/commands.h"
#include "output.h"

namespace tseeder::cli {

void add_admin_search_command(CLI::App& admin, Context& ctx) {
  auto* cmd = admin.add_subcommand(
      "search",
      "find accounts (id, start of the email), jobs (id, infohash, part of the name or source) and audit "
      "entries (action, actor, target)");
  auto q = std::make_shared<std::string>();
  auto types = std::make_shared<std::string>("users,jobs,audit");
  auto limit = std::make_shared<int>(20);
  cmd->add_option("query", *q, "what to look for")->required();
  cmd->add_option("--types", *types, "comma-separated: users, jobs, audit");
  cmd->add_option("--limit", *limit, "at most this many of each kind (1-100)")->check(CLI::Range(1, 100));
  cmd->callback([&ctx, q, types, limit] {
    auto res = ctx.call("GET", "/admin/search?q=" + url_encode(*q) + "&types=" + url_encode(*types) +
                                   "&limit=" + std::to_string(*limit));
    if (ctx.json) return print_json(res);
    for (const char* type : {"users", "jobs", "audit"}) {
      if (!res.contains(type)) continue;
      const auto& hits = res[type];
      std::cout << type << " (" << hits.size() << (res["next"].value(type, Json()).is_string() ? ", more" : "")
                << ")\n";
      for (const auto& h : hits) {
        const auto id = h["id"].is_string() ? h["id"].get<std::string>() : h["id"].dump();
        std::cout << "  " << id << "  " << h.value("preview", "") << "\n";
      }
    }
  });
}

}  // namespace tseeder::cli
