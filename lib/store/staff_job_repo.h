// Every user's jobs, for staff: newest first, filtered by owner, state, engine, the agent running
// them and age; a page walks one index from its cursor on (migration 0016).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "model/job.h"
#include "store/cursor.h"
#include "store/db.h"

namespace tseeder::store {

struct StaffJobQuery {
  std::optional<UserId> user;
  std::optional<jobs::JobState> status;
  std::optional<std::string> engine;
  std::optional<std::string> agent;               // running on this fleet agent now
  std::optional<std::int64_t> created_before_ms;  // older than
  int limit = 50;
  std::optional<Cursor> after;  // jobs created before this one
};

class StaffJobRepo {
 public:
  explicit StaffJobRepo(Db& db) : db_(db) {}
  std::vector<jobs::Job> list(const StaffJobQuery& q);

 private:
  Db& db_;
};

}  // namespace tseeder::store
