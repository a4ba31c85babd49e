// tseeder admin health [--watch [SECONDS]]: every part the daemon stands on, with a status and a
// reason; exit 0 when all is well, 10 when degraded, 11 when down.
#include <chrono>
#include <iostream>
#include <thread>

#include "commands/commands.h"
#include "core/units.h"
#include "exit_codes.h"
#include "output.h"

namespace tseeder::cli {

namespace {

int exit_for(const std::string& status) {
  if (status == "ok") return kExitOk;
  return status == "degraded" ? kExitHealthDegraded : kExitHealthDown;
}

void print_health(const Json& h) {
  std::cout << "tseeder " << h.value("version", "?") << " (" << h.value("role", "?") << "), up "
            << format_duration(h.value("uptimeSeconds", std::int64_t{-1})) << ": " << h.value("status", "?") << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : h["checks"]) {
    const double ms = c.value("ms", 0.0);
    rows.push_back({c.value("name", ""), c.value("status", ""),
                    ms < 1 ? "<1 ms" : std::to_string(static_cast<long>(ms)) + " ms", c.value("reason", "")});
  }
  print_table({"CHECK", "STATUS", "TOOK", "REASON"}, rows);
}

}  // namespace

void add_admin_health_command(CLI::App& admin, Context& ctx) {
  auto* cmd = admin.add_subcommand(
      "health",
      "check the store, disks, plugins, scanner, storage, mail, queue, dead letters, agents and the provider; "
      "exit 0 healthy, 10 degraded, 11 down");
  auto every = std::make_shared<int>(0);
  cmd->add_option("--watch", *every, "redraw every SECONDS (default 5) until interrupted")
      ->expected(0, 1)
      ->default_str("5")
      ->check(CLI::Range(1, 3600));
  cmd->callback([&ctx, cmd, every] {
    auto show = [&ctx] {
      auto h = ctx.call("GET", "/admin/health");
      ctx.json ? print_json(h) : print_health(h);
      return h;
    };
    if (cmd->count("--watch") == 0) {
      ctx.exit_status = exit_for(show().value("status", "down"));
      return;
    }
    for (;;) {
      if (stdout_is_tty()) std::cout << "\033[H\033[2J";  // from the top of a clear screen
      try {
        show();
      } catch (const Error& e) {
        std::cout << "unreachable: " << e.message() << "\n";  // a watch outlasts a restart
      }
      std::cout << (stdout_is_tty() ? "" : "\n") << std::flush;
      std::this_thread::sleep_for(std::chrono::seconds(*every > 0 ? *every : 5));
    }
  });
}

}  // namespace tseeder::cli
