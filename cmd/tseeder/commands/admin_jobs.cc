// tseeder admin jobs ls | show | terminate: every user's jobs, for staff.
#include <iostream>

#include "commands/commands.h"
#include "core/error.h"
#include "core/units.h"
#include "output.h"

namespace tseeder::cli {

void add_admin_jobs_commands(CLI::App& admin, Context& ctx) {
  auto* jobs = admin.add_subcommand("jobs", "every user's jobs: list, show, terminate");
  jobs->require_subcommand(1);

  auto* ls = jobs->add_subcommand("ls", "every user's jobs, newest first");
  struct Filters {
    std::string user, status, engine, agent, older_than;
    int limit = 100;
  };
  auto f = std::make_shared<Filters>();
  ls->add_option("--user", f->user, "only this user's (id or email)");
  ls->add_option("--status", f->status, "only jobs in this state");
  ls->add_option("--engine", f->engine, "only jobs of this engine (engine-http, engine-libtorrent, engine-seedr)");
  ls->add_option("--agent", f->agent, "only jobs running on this fleet agent (its id)");
  ls->add_option("--older-than", f->older_than, "only jobs created longer ago than this (90s, 15m, 2h, 7d)");
  ls->add_option("--limit", f->limit, "at most this many (1-500)")->check(CLI::Range(1, 500));
  ls->callback([&ctx, f] {
    std::string path = "/admin/jobs?limit=" + std::to_string(f->limit);
    if (!f->user.empty()) path += "&user=" + url_encode(resolve_user(ctx, f->user));
    for (const auto& [key, value] : {std::pair{"status", f->status}, {"engine", f->engine}, {"agent", f->agent}})
      if (!value.empty()) path += std::string("&") + key + "=" + url_encode(value);
    if (!f->older_than.empty()) {
      auto s = parse_duration_s(f->older_than);
      if (!s)
        throw Error(Errc::invalid_argument, "--older-than '" + f->older_than + "' is not a duration",
                    "write it like 90s, 15m, 2h or 7d");
      path += "&olderThan=" + std::to_string(*s);
    }
    auto res = ctx.call("GET", path);
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& j : res.value("jobs", Json::array())) {
      const Json name = j.value("name", Json()), engine = j.value("engine", Json());
      rows.push_back({j.value("id", ""), j.value("userId", ""), j.value("status", ""),
                      engine.is_string() ? engine.get<std::string>() : "-",
                      local_time_text(j.value("createdAt", Json())),
                      name.is_string() ? name.get<std::string>() : j.value("source", "")});
    }
    print_table({"ID", "OWNER", "STATUS", "ENGINE", "CREATED", "NAME"}, rows);
    if (res.value("next", Json()).is_string()) std::cout << "(more: narrow the filters or raise --limit)\n";
  });

  auto* show = jobs->add_subcommand("show", "one job of any user");
  auto id = std::make_shared<std::string>();
  show->add_option("id", *id, "the job's id")->required();
  show->callback([&ctx, id] {
    auto res = ctx.call("GET", "/admin/jobs/" + url_encode(*id));
    if (ctx.json) return print_json(res);
    std::cout << "owner:    " << res["job"].value("userId", "") << "\n";
    print_job(ctx, res["job"], false);
  });

  auto* term = jobs->add_subcommand(
      "terminate", "end any user's unfinished job as cancelled, wherever it runs; its partial data goes");
  auto term_id = std::make_shared<std::string>();
  auto why = std::make_shared<Why>();
  term->add_option("id", *term_id, "the job's id")->required();
  add_why(term, why, true);
  term->callback([&ctx, term_id, why] {
    Json body = Json::object();
    add_why_fields(body, *why);
    auto res = ctx.call("POST", "/admin/jobs/" + url_encode(*term_id) + "/terminate", body);
    if (ctx.json) return print_json(res);
    std::cout << "terminated " << res["job"].value("id", "") << " of " << res["job"].value("userId", "") << "; now "
              << res["job"].value("status", "") << "\n";
  });
}

}  // namespace tseeder::cli
