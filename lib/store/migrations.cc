#include "store/migrations.h"

#include "core/error.h"

namespace tseeder::store {

MigrationStatus migration_status(Db& db) {
  MigrationStatus st;
  auto q = db.prepare("PRAGMA user_version");
  if (q.step()) st.current = static_cast<int>(q.int64(0));
  for (const auto& m : builtin_migrations()) {
    st.latest = std::max(st.latest, m.version);
    if (m.version > st.current) st.pending.push_back(m);
  }
  return st;
}

void refuse_if_newer(const MigrationStatus& st, const std::string& db_path) {
  if (st.current > st.latest)
    throw Error(Errc::store,
                "database " + db_path + " is at schema version " + std::to_string(st.current) +
                    " but this tseeder only knows up to " + std::to_string(st.latest),
                "run a tseeder at least as new as the one that last migrated it");
}

int migrate_up(Db& db) {
  auto st = migration_status(db);
  refuse_if_newer(st, db.path());
  // A migration may rebuild a table (SQLite's way to change constraints); with foreign keys on,
  // dropping the old table would cascade into its dependants. They are checked before commit.
  if (!st.pending.empty()) db.exec("PRAGMA foreign_keys=OFF");
  for (const auto& m : st.pending) {
    Transaction tx(db);
    db.exec(m.sql);
    auto check = db.prepare("PRAGMA foreign_key_check");
    if (check.step())
      throw Error(Errc::store, "migration " + std::to_string(m.version) + " would leave rows without their " +
                                   check.text(2) + " row in table " + check.text(0));
    db.exec("PRAGMA user_version = " + std::to_string(m.version));
    tx.commit();
  }
  if (!st.pending.empty()) db.exec("PRAGMA foreign_keys=ON");
  return static_cast<int>(st.pending.size());
}

}  // namespace tseeder::store
