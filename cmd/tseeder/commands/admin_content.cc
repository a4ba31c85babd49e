// tseeder admin blocklist add | rm | ls, dlq ls | replay, storage sweep | sweeps: content staff
// keep off this daemon, jobs whose retries ran out, storage upkeep.
#include <chrono>
#include <iostream>
#include <thread>

#include "commands/commands.h"
#include "core/error.h"
#include "core/units.h"
#include "output.h"

namespace tseeder::cli {
namespace {

std::vector<std::string> sweep_row(const Json& s) {
  auto text = [](const Json& v) { return v.is_string() ? v.get<std::string>() : std::string("-"); };
  std::string state = s["finishedAt"].is_null() ? "running"
                      : s["error"].is_string()  ? "error: " + text(s["error"])
                                                : "done";
  return {std::to_string(s.value("id", 0)),
          s.value("trigger", ""),
          s.value("dryRun", false) ? "dry run" : "",
          std::to_string(s.value("expiredJobs", 0)),
          std::to_string(s.value("orphanObjects", 0)),
          std::to_string(s.value("orphanRows", 0)),
          format_bytes(s.value("bytesFreed", std::uint64_t{0})),
          state};
}

const std::vector<std::string> kSweepHeader = {"ID",          "TRIGGER", "MODE", "EXPIRED", "ORPHAN OBJECTS",
                                               "ORPHAN ROWS", "FREED",   "STATE"};

}  // namespace

void add_admin_content_commands(CLI::App& admin, Context& ctx) {
  auto* block = admin.add_subcommand("blocklist", "infohashes nobody may fetch through this daemon");
  block->require_subcommand(1);

  block->add_subcommand("ls", "list blocked infohashes")->callback([&ctx] {
    auto entries = ctx.call_all("/admin/blocklist?limit=1000", "entries");
    if (ctx.json) return print_json(Json{{"entries", entries}});
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : entries)
      rows.push_back({e.value("infohash", ""), e["addedBy"].is_string() ? e["addedBy"].get<std::string>() : "-",
                      e.value("reason", "")});
    print_table({"INFOHASH", "BY", "REASON"}, rows);
  });

  auto* add = block->add_subcommand("add", "block an infohash; its unfinished jobs fail with BLOCKED");
  auto hash = std::make_shared<std::string>();
  auto block_why = std::make_shared<Why>();
  add->add_option("infohash", *hash, "v1 (40 hex) or v2 (64 hex) infohash")->required();
  add_why(add, block_why, true);
  add->callback([&ctx, hash, block_why] {
    Json body{{"infohash", *hash}};
    add_why_fields(body, *block_why);
    auto res = ctx.call("POST", "/admin/blocklist", body);
    if (ctx.json) return print_json(res);
    std::cout << "blocked " << res["entry"].value("infohash", "") << "; " << res.value("jobsStopped", 0)
              << " unfinished job(s) stopped\n";
  });

  auto* rm = block->add_subcommand("rm", "unblock an infohash");
  auto rm_hash = std::make_shared<std::string>();
  auto rm_why = std::make_shared<Why>();
  rm->add_option("infohash", *rm_hash, "the blocked infohash")->required();
  add_why(rm, rm_why, true);
  rm->callback([&ctx, rm_hash, rm_why] {
    Json body = Json::object();
    add_why_fields(body, *rm_why);
    ctx.call("DELETE", "/admin/blocklist/" + url_encode(*rm_hash), body);
    if (!ctx.json) std::cout << "unblocked " << *rm_hash << "\n";
  });

  auto* dlq = admin.add_subcommand("dlq", "the dead-letter list: jobs whose retries ran out");
  dlq->require_subcommand(1);
  auto limit = std::make_shared<int>(100);
  auto* dls = dlq->add_subcommand("ls", "jobs whose retries ran out, newest first");
  dls->add_option("--limit", *limit, "at most this many")->check(CLI::Range(1, 1000));
  dls->callback([&ctx, limit] {
    auto res = ctx.call("GET", "/admin/dlq?limit=" + std::to_string(*limit));
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : res["entries"])
      rows.push_back({e.value("jobId", ""), e.value("userId", ""),
                      e["name"].is_string() ? e["name"].get<std::string>() : "-",
                      std::to_string(e.value("attempts", 0)), local_time_text(e["deadAt"]), e.value("lastError", "")});
    print_table({"JOB", "OWNER", "NAME", "ATTEMPTS", "DIED", "LAST ERROR"}, rows);
  });
  auto* replay = dlq->add_subcommand("replay", "queue a dead-lettered job again with a fresh set of attempts");
  auto replay_id = std::make_shared<std::string>();
  auto replay_why = std::make_shared<Why>();
  replay->add_option("job", *replay_id, "the job id")->required();
  add_why(replay, replay_why, true);
  replay->callback([&ctx, replay_id, replay_why] {
    Json body = Json::object();
    add_why_fields(body, *replay_why);
    auto res = ctx.call("POST", "/admin/dlq/" + url_encode(*replay_id) + "/replay", body);
    if (ctx.json) return print_json(res);
    std::cout << "job " << *replay_id << " is " << res["job"].value("status", "") << " again\n";
  });

  auto* storage = admin.add_subcommand("storage", "storage upkeep: retention and orphans");
  storage->require_subcommand(1);
  auto* sweep = storage->add_subcommand(
      "sweep", "expire files past their plan's retention and remove orphans now; waits for the result");
  auto why = std::make_shared<Why>();
  auto dry = std::make_shared<bool>(false);
  add_why(sweep, why, true);
  sweep->add_flag("--dry-run", *dry, "report what would go; delete nothing");
  sweep->callback([&ctx, why, dry] {
    Json body = {{"dryRun", *dry}};
    add_why_fields(body, *why);
    auto s = ctx.call("POST", "/admin/storage/sweep", body)["sweep"];
    const std::string path = "/admin/storage/sweeps/" + std::to_string(s.value("id", 0));
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::hours(6);
    while (s["finishedAt"].is_null()) {
      if (std::chrono::steady_clock::now() > give_up)
        throw Error(Errc::unavailable, "sweep " + std::to_string(s.value("id", 0)) + " is still running",
                    "see tseeder admin storage sweeps");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      s = ctx.call("GET", path)["sweep"];
    }
    if (ctx.json) return print_json(s);
    print_table(kSweepHeader, {sweep_row(s)});
    if (s["error"].is_string()) ctx.exit_status = 1;
  });
  storage->add_subcommand("sweeps", "recent sweeps, newest first")->callback([&ctx] {
    auto res = ctx.call("GET", "/admin/storage/sweeps");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : res["sweeps"]) rows.push_back(sweep_row(s));
    print_table(kSweepHeader, rows);
  });
}

}  // namespace tseeder::cli
