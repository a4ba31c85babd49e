// tseeder trackers | peers | reannounce: a running BitTorrent job as its engine sees it.
#include <cstdio>
#include <iostream>

#include "commands/commands.h"
#include "core/units.h"
#include "output.h"

namespace tseeder::cli {

namespace {
std::string text_or(const Json& v, const std::string& none = "-") {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return none;
}
}  // namespace

void print_trackers(const Json& trackers) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : trackers)
    rows.push_back({std::to_string(t.value("tier", 0)), t.value("url", ""), t.value("status", ""),
                    t.value("nextAnnounceS", Json()).is_number()
                        ? format_duration(t.value("nextAnnounceS", std::int64_t{0}))
                        : "-",
                    text_or(t.value("seeds", Json())) + "/" + text_or(t.value("leechers", Json())),
                    text_or(t.value("message", Json()), "")});
  print_table({"TIER", "URL", "STATUS", "NEXT", "SEEDS/LEECHERS", "LAST ANSWER"}, rows);
}

void add_swarm_commands(CLI::App& app, Context& ctx) {
  add_job_command(app, "trackers", "a running torrent's trackers and what each last answered",
                  [&ctx](const std::string& id) {
                    const Json res = ctx.call("GET", ctx.job_path(id, "/trackers"));
                    if (ctx.json) return print_json(res);
                    std::cout << "infohash " << text_or(res.value("infohash", Json())) << "\n";
                    print_trackers(res.value("trackers", Json::array()));
                  });
  add_job_command(app, "peers", "the peers a running torrent is connected to", [&ctx](const std::string& id) {
    const Json res = ctx.call("GET", ctx.job_path(id, "/peers"));
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : res.value("peers", Json::array())) {
      char done[16];
      std::snprintf(done, sizeof done, "%.1f%%", p.value("progress", 0.0) * 100);
      rows.push_back({p.value("address", ""), p.value("client", ""), done, format_rate(p.value("downloadSpeed", 0ULL)),
                      format_rate(p.value("uploadSpeed", 0ULL)), p.value("seed", false) ? "seed" : ""});
    }
    print_table({"ADDRESS", "CLIENT", "HAS", "DOWN", "UP", ""}, rows);
    std::cout << rows.size() << " peer(s)\n";
  });
  add_job_command(app, "reannounce", "ask a running torrent's trackers for peers now", [&ctx](const std::string& id) {
    const Json res = ctx.call("POST", ctx.job_path(id, "/reannounce"));
    if (ctx.json) return print_json(res);
    std::cout << "announcing " << res.value("id", "") << " to its trackers\n";
  });
}

}  // namespace tseeder::cli
