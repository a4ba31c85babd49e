// tseeder plugins ls
#include <iostream>

#include "commands/commands.h"
#include "output.h"

namespace tseeder::cli {

void add_plugins_commands(CLI::App& app, Context& ctx) {
  auto* plugins = app.add_subcommand("plugins", "engine and scanner plugins");
  plugins->require_subcommand(1);
  plugins->add_subcommand("ls", "list loaded plugins (and any the daemon refused)")->callback([&ctx] {
    auto res = ctx.call("GET", "/plugins");
    if (ctx.json) return print_json(res);
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : res["plugins"])
      rows.push_back(
          {p.value("name", ""), p.value("kind", ""), p.value("version", ""), p.value("abi", ""), p.value("file", "")});
    print_table({"NAME", "KIND", "VERSION", "ABI", "FILE"}, rows);
    for (const auto& r : res["refused"])
      std::cout << "refused: " << r.value("file", "") << ": " << r.value("reason", "") << "\n";
  });
}

}  // namespace tseeder::cli
