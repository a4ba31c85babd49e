// tseeder pause | resume | cancel | retry | rm: one job, several, `all` or `--status S` (as
// transmission-remote's -t all).
#include <unistd.h>

#include <iostream>

#include "commands/commands.h"
#include "core/error.h"
#include "exit_codes.h"
#include "output.h"

namespace tseeder::cli {
namespace {

struct Targets {
  std::vector<std::string> typed;  // ids or prefixes, or the one word `all`
  std::string status;              // --status: every job in this state
  bool yes = false;                // rm of a selection: no question asked
};

bool is_selection(const Targets& t) {
  return !t.status.empty() || (t.typed.size() == 1 && t.typed[0] == "all");
}

// The ids the command acts on. A selection is read whole before anything changes, so acting on
// a job cannot move another into or out of it halfway.
std::vector<std::string> resolve(Context& ctx, const Targets& t) {
  if (!t.status.empty() && !t.typed.empty()) throw Error(Errc::invalid_argument, "give job ids or --status, not both");
  if (t.typed.empty()) {
    if (t.status.empty()) throw Error(Errc::invalid_argument, "which jobs?", "give job ids, `all` or --status STATE");
  } else if (!is_selection(t)) {
    std::vector<std::string> ids;
    for (const auto& typed : t.typed) ids.push_back(ctx.job_id(typed));
    return ids;
  }
  std::string path = "/jobs?limit=500";
  if (!t.status.empty()) path += "&status=" + url_encode(t.status);
  std::vector<std::string> ids;
  for (const auto& j : ctx.call_all(path, "jobs")) ids.push_back(j.value("id", ""));
  return ids;
}

bool confirmed(std::size_t count) {
  if (count == 0) return true;
  if (!::isatty(STDIN_FILENO))
    throw Error(Errc::invalid_argument, "rm of " + std::to_string(count) + " jobs needs --yes when not on a terminal");
  std::cerr << "delete " << count << " job(s) and their files? [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "yes";
}

// Runs `act` on each job of `ids` (what `t` resolved to). Explicit ids report every failure; a
// selection skips the jobs the action does not apply to (pause all: the completed ones) and
// says how many.
void act_on_each(Context& ctx, const Targets& t, const std::vector<std::string>& ids,
                 const std::function<Json(const std::string&)>& act) {
  const bool selection = is_selection(t);
  if (t.typed.size() == 1 && !selection) {  // one job: the answer as it always was
    const Json job = act(ids[0]);
    if (ctx.json) return print_json(job);
    std::cout << job.value("id", ids[0]) << " " << job.value("status", "deleted") << "\n";
    return;
  }
  Json done = Json::array(), skipped = Json::array(), failed = Json::array();
  int exit_code = kExitOk;
  for (const auto& id : ids) {
    try {
      const Json job = act(id);
      done.push_back(job);
      if (!ctx.json) std::cout << id << " " << job.value("status", "deleted") << "\n";
    } catch (const Error& e) {
      if (selection && e.code() == Errc::conflict) {
        skipped.push_back({{"id", id}, {"reason", e.what()}});
        continue;
      }
      failed.push_back({{"id", id}, {"code", errc_name(e.code())}, {"message", e.what()}});
      if (!ctx.json) std::cerr << "tseeder: " << id << ": " << e.what() << "\n";
      if (exit_code == kExitOk) exit_code = exit_code_for(e.code());
    }
  }
  if (ctx.json)
    print_json({{"done", done}, {"skipped", skipped}, {"failed", failed}});
  else if (!skipped.empty())
    std::cout << skipped.size() << " job(s) skipped: not possible in their state\n";
  else if (ids.empty())
    std::cout << "no jobs selected\n";
  ctx.exit_status = exit_code;
}

CLI::App* add_targeted(CLI::App& app, const std::string& name, const std::string& help,
                       const std::shared_ptr<Targets>& t) {
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("ids", t->typed, "job ids, unique prefixes of 4+ characters, or `all`");
  cmd->add_option("--status", t->status, "every job in this state");
  return cmd;
}

}  // namespace

void add_job_action_commands(CLI::App& app, Context& ctx) {
  const std::vector<std::pair<std::string, std::string>> actions = {
      {"pause", "pause jobs (keeps what is downloaded); stops a completed job seeding"},
      {"resume", "resume paused jobs"},
      {"cancel", "cancel jobs and drop their partial data"},
      {"retry", "try failed jobs again"}};
  for (const auto& [action, help] : actions) {
    auto t = std::make_shared<Targets>();
    add_targeted(app, action, help, t)->callback([&ctx, t, action = action] {
      act_on_each(ctx, *t, resolve(ctx, *t),
                  [&](const std::string& id) { return ctx.call("POST", "/jobs/" + id + "/" + action); });
    });
  }
  auto t = std::make_shared<Targets>();
  auto* rm = add_targeted(app, "rm", "delete jobs and their files", t);
  rm->add_flag("--yes,-y", t->yes, "with `all` or --status: do not ask");
  rm->callback([&ctx, t] {
    // Resolved first, so the question says what it is about and the answer covers just those.
    const auto ids = resolve(ctx, *t);
    if (is_selection(*t) && !t->yes && !confirmed(ids.size())) return;
    act_on_each(ctx, *t, ids, [&](const std::string& id) {
      ctx.call("DELETE", "/jobs/" + id);
      return Json{{"id", id}, {"deleted", true}};
    });
  });
}

}  // namespace tseeder::cli
