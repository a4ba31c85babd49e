// Each command group adds its subcommands to the app; main.cc only wires them.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "context.h"

namespace tseeder::cli {

void add_jobs_commands(CLI::App& app, Context& ctx);
void add_job_action_commands(CLI::App& app, Context& ctx);  // pause, resume, cancel, retry, rm
void add_swarm_commands(CLI::App& app, Context& ctx);       // trackers, peers, reannounce
// A torrent's trackers as a table (tseeder trackers, tseeder show).
void print_trackers(const Json& trackers);
void add_watch_command(CLI::App& app, Context& ctx);
void add_get_command(CLI::App& app, Context& ctx);
void add_migrate_commands(CLI::App& app, Context& ctx);
void add_plugins_commands(CLI::App& app, Context& ctx);
void add_selection_commands(CLI::App& app, Context& ctx);
void add_account_commands(CLI::App& app, Context& ctx);
void add_admin_commands(CLI::App& app, Context& ctx);
void add_usage_command(CLI::App& app, Context& ctx);
// `tseeder wallet …`: buying a plan with crypto.
void add_wallet_commands(CLI::App& app, Context& ctx);
// `tseeder smoke`: a running daemon checked end to end.
void add_smoke_command(CLI::App& app, Context& ctx);
// `tseeder admin plans …`, under the admin group.
void add_admin_plans_commands(CLI::App& admin, Context& ctx);
// `tseeder admin blocklist …` and `tseeder admin storage …`.
void add_admin_content_commands(CLI::App& admin, Context& ctx);
void add_admin_provider_commands(CLI::App& admin, Context& ctx);
// `tseeder admin jobs …`: every user's jobs.
void add_admin_jobs_commands(CLI::App& admin, Context& ctx);
// `tseeder admin search Q`.
void add_admin_search_command(CLI::App& admin, Context& ctx);
// `tseeder admin wallet …` and `tseeder admin prices …`.
void add_admin_wallet_commands(CLI::App& admin, Context& ctx);
// `tseeder admin health [--watch]`.
void add_admin_health_command(CLI::App& admin, Context& ctx);
// `tseeder admin config history|diff`.
void add_admin_config_commands(CLI::App& admin, Context& ctx);
// A table of config history entries (version, time, key, old -> new, who, ticket, reason).
void print_setting_changes(const Json& changes);
// One job in full (tseeder show); `live` also asks the engine for its trackers (the owner only).
void print_job(Context& ctx, const Json& job, bool live);
void add_admin_fleet_commands(CLI::App& admin, Context& ctx);

// Shared by staff commands.
std::string url_encode(const std::string& s);
// A user named by id or by exact email; the id.
std::string resolve_user(Context& ctx, const std::string& who);
struct Why {
  std::string reason, ticket;
};
// --reason and --ticket; `required` for destructive actions.
void add_why(CLI::App* cmd, const std::shared_ptr<Why>& why, bool required);
void add_why_fields(Json& body, const Why& why);

// `tseeder NAME ID`: a command about one job; `run` gets the id as typed (ctx.job_path resolves it).
void add_job_command(CLI::App& app, const std::string& name, const std::string& help,
                     std::function<void(const std::string&)> run);

// Follows a job's events until it ends. Returns kExitOk when completed, kExitJobFailed when
// failed or cancelled. `quiet` prints nothing (add --wait --json).
int follow_job(Context& ctx, const std::string& job_id, bool quiet);

}  // namespace tseeder::cli
