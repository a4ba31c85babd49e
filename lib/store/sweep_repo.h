// SQL for the record of storage sweeps.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace tseeder::store {

struct SweepRow {
  std::int64_t id = 0;
  std::int64_t started_at_ms = 0;
  std::optional<std::int64_t> finished_at_ms;
  std::string trigger;  // schedule | admin
  std::optional<std::string> actor_id, reason, ticket_id;
  bool dry_run = false;
  std::int64_t expired_jobs = 0, orphan_objects = 0, orphan_rows = 0, bytes_freed = 0;
  std::optional<std::string> error;
};

class SweepRepo {
 public:
  explicit SweepRepo(Db& db) : db_(db) {}
  std::int64_t insert(const SweepRow& row);  // returns the id
  void finish(const SweepRow& row);
  std::optional<SweepRow> find(std::int64_t id);
  std::vector<SweepRow> recent(int limit);
  // Sweeps a stop cut short are marked so; returns how many.
  int mark_interrupted(std::int64_t now_ms);

 private:
  Db& db_;
};

}  // namespace tseeder::store
