// tseeder: the command-line client. Wires command groups and global flags; errors are turned
// into exit codes in one place.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands/commands.h"
#include "context.h"
#include "core/error.h"
#include "docs_gen.h"
#include "exit_codes.h"

using namespace tseeder;
using namespace tseeder::cli;

namespace {
// CLI11 reports a word that is no command as "a subcommand is required"; name the word instead.
std::string unknown_command(CLI::App& app) {
  std::string path = "tseeder";
  CLI::App* at = &app;
  while (!at->get_subcommands().empty()) {
    at = at->get_subcommands().front();
    path += " " + at->get_name();
  }
  auto rest = at->remaining();
  if (rest.empty() || rest.front().starts_with("-")) return {};
  return "unknown command '" + rest.front() + "' (see " + path + " --help)";
}

// The flags every command understands, wherever they stand on the line (`tseeder ls --json`
// as well as `tseeder --json ls`): each command gets its own copy bound to the same setting,
// so its --help lists them too.
void add_global_flags(CLI::App& app, Context& ctx) {
  const std::string group = kGlobalOptions;
  app.add_option("--socket", ctx.socket, "daemon Unix socket")->group(group);
  app.add_option("--url", ctx.url, "daemon URL, e.g. http://127.0.0.1:8420 (instead of the socket)")->group(group);
  app.add_option("--api-key", ctx.api_key, "API key for --url (tseeder login saves one)")->group(group);
  app.add_flag("--json", ctx.json, "machine-readable JSON output")->group(group);
  app.add_flag("--no-color", ctx.no_color, "no colours in tables (also NO_COLOR=1)")->group(group);
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) add_global_flags(*sub, ctx);
}
}  // namespace

int main(int argc, char** argv) {
  Context ctx;
  CLI::App app{"tseeder — drive a tseederd download daemon"};
  app.set_version_flag("--version", std::string("tseeder ") + TSEEDER_VERSION);
  app.footer(std::string("\n") + kFindingTheDaemon +
             "\nEnvironment: TSEEDER_URL, TSEEDER_SOCKET, TSEEDER_API_KEY.\n\n" + exit_codes_help());
  app.require_subcommand(1);
  app.parse_complete_callback([&ctx] { ctx.apply_environment(); });

  add_jobs_commands(app, ctx);
  add_watch_command(app, ctx);
  add_swarm_commands(app, ctx);
  add_get_command(app, ctx);
  add_plugins_commands(app, ctx);
  add_selection_commands(app, ctx);
  add_account_commands(app, ctx);
  add_admin_commands(app, ctx);
  add_usage_command(app, ctx);
  add_wallet_commands(app, ctx);
  add_smoke_command(app, ctx);
  add_migrate_commands(app, ctx);
  add_generate_command(app);
  add_global_flags(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (auto unknown = unknown_command(app); !unknown.empty() && dynamic_cast<const CLI::RequiredError*>(&e)) {
      std::cerr << "tseeder: " << unknown << "\n";
      return kExitUsage;
    }
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  } catch (const Error& e) {
    if (ctx.json)
      std::cerr << Json{{"error", {{"code", errc_name(e.code())}, {"message", e.what()}}}}.dump() << "\n";
    else
      std::cerr << "tseeder: " << e.what() << "\n";
    return exit_code_for(e.code());
  } catch (const std::exception& e) {
    std::cerr << "tseeder: " << e.what() << "\n";
    return kExitError;
  }
  return ctx.exit_status;
}
