// Numbered schema migrations compiled into the binary; PRAGMA user_version holds the level.
#pragma once
#include <string>
#include <vector>

#include "store/db.h"

namespace tseeder::store {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& builtin_migrations();  // generated from migrations/*.sql

struct MigrationStatus {
  int current = 0;  // the database's level
  int latest = 0;   // the newest this binary knows
  std::vector<Migration> pending;
};

MigrationStatus migration_status(Db& db);
// Applies pending migrations, each in its own transaction. Returns how many ran.
// A database newer than this binary → Error(Errc::store) saying so.
int migrate_up(Db& db);
void refuse_if_newer(const MigrationStatus& st, const std::string& db_path);

}  // namespace tseeder::store
