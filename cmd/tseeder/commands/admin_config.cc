// tseeder admin config history [KEY] | diff V1 V2: every change to a setting (the provider, plan
// limits, the blocklist, the config file read at start), and what differs between two versions.
#include <iostream>

#include "commands/commands.h"
#include "output.h"

namespace tseeder::cli {

namespace {

std::string text_or(const Json& v, const char* none) {
  return v.is_string() ? v.get<std::string>() : none;
}

}  // namespace

void print_setting_changes(const Json& changes) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : changes)
    rows.push_back({std::to_string(c.value("version", 0)), local_time_text(c.value("at", Json())), c.value("key", ""),
                    text_or(c.value("from", Json()), "(not set)") + " -> " + text_or(c.value("to", Json()), "-"),
                    text_or(c.value("actor", Json()), "config file"), c.value("ticketId", ""), c.value("reason", "")});
  print_table({"VERSION", "AT", "KEY", "CHANGE", "BY", "TICKET", "REASON"}, rows);
}

void add_admin_config_commands(CLI::App& admin, Context& ctx) {
  auto* config = admin.add_subcommand("config", "the history of every setting's changes, and diffs between versions");
  config->require_subcommand(1);

  auto* history = config->add_subcommand(
      "history", "every change, newest first; KEY narrows it to a key and those under it (plan.pro, config.jobs)");
  auto key = std::make_shared<std::string>();
  auto limit = std::make_shared<int>(100);
  auto before = std::make_shared<std::int64_t>(0);
  history->add_option("key", *key, "e.g. provider.torrent, plan.pro.storageBytes, blocklist, config.smtp.url");
  history->add_option("--limit", *limit, "at most this many changes (1-1000)")->check(CLI::Range(1, 1000));
  history->add_option("--before", *before, "only versions older than this one (the next page)");
  history->callback([&ctx, key, limit, before] {
    std::string path = "/admin/config-history?limit=" + std::to_string(*limit);
    if (!key->empty()) path += "&key=" + url_encode(*key);
    if (*before > 0) path += "&before=" + std::to_string(*before);
    auto res = ctx.call("GET", path);
    if (ctx.json) return print_json(res);
    print_setting_changes(res["changes"]);
    if (res.value("next", Json()).is_string() && !res["changes"].empty())
      std::cout << "older changes: --before " << res["changes"].back().value("version", 0) << "\n";
  });

  auto* diff = config->add_subcommand("diff", "what differs between two versions of the settings, key by key");
  auto v1 = std::make_shared<std::int64_t>(0), v2 = std::make_shared<std::int64_t>(0);
  diff->add_option("v1", *v1, "the older version (0: before any change)")->required();
  diff->add_option("v2", *v2, "the newer version")->required();
  diff->callback([&ctx, v1, v2] {
    auto res = ctx.call("GET", "/admin/config-history/diff?from=" + std::to_string(*v1) + "&to=" + std::to_string(*v2));
    if (ctx.json) return print_json(res);
    std::cout << "--- version " << *v1 << "\n+++ version " << *v2 << "\n";
    for (const auto& k : res["keys"]) {
      const auto name = k.value("key", "");
      std::cout << "- " << name << ": " << text_or(k.value("from", Json()), "(not set)") << "\n"
                << "+ " << name << ": " << text_or(k.value("to", Json()), "-") << "\n"
                << "  (" << k.value("changes", 0) << (k.value("changes", 0) == 1 ? " change" : " changes")
                << ", last in version " << k.value("lastVersion", 0) << " by "
                << text_or(k.value("lastActor", Json()), "config file") << ")\n";
    }
    if (res["keys"].empty()) std::cout << "no differences\n";
  });
}

}  // namespace tseeder::cli
