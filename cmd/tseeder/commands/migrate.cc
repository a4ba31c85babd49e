// tseeder migrate status|up — schema migrations on a database file, without a daemon.
#include <iostream>

#include "commands/commands.h"
#include "output.h"
#include "store/migrations.h"

namespace tseeder::cli {

void add_migrate_commands(CLI::App& app, Context& ctx) {
  auto* migrate = app.add_subcommand("migrate", "database schema migrations");
  migrate->require_subcommand(1);
  auto db_path = std::make_shared<std::string>("var/tseeder.db");
  auto* status = migrate->add_subcommand("status", "show the schema version and pending migrations");
  auto* up = migrate->add_subcommand("up", "apply pending migrations");
  for (auto* cmd : {migrate, status, up}) cmd->add_option("--db", *db_path, "database file (default: var/tseeder.db)");

  status->callback([&ctx, db_path] {
    store::Db db(*db_path);
    auto st = store::migration_status(db);
    if (ctx.json) {
      Json pending = Json::array();
      for (const auto& m : st.pending) pending.push_back({{"version", m.version}, {"name", m.name}});
      return print_json(
          Json{{"database", *db_path}, {"current", st.current}, {"latest", st.latest}, {"pending", pending}});
    }
    std::cout << "database: " << *db_path << "\ncurrent:  " << st.current << "\nlatest:   " << st.latest << "\n";
    if (st.current > st.latest) std::cout << "the database is newer than this tseeder\n";
    for (const auto& m : st.pending) std::cout << "pending:  " << m.name << "\n";
    if (st.pending.empty() && st.current <= st.latest) std::cout << "up to date\n";
  });

  up->callback([&ctx, db_path] {
    store::Db db(*db_path);
    int applied = store::migrate_up(db);
    auto st = store::migration_status(db);
    if (ctx.json) return print_json(Json{{"database", *db_path}, {"applied", applied}, {"current", st.current}});
    std::cout << "applied " << applied << " migration(s); " << *db_path << " is at version " << st.current << "\n";
  });
}

}  // namespace tseeder::cli
