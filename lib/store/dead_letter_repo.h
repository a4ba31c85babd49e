// SQL for dead_letters: jobs whose retries ran out, for staff to look at and replay.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "store/cursor.h"
#include "store/db.h"

namespace tseeder::store {

struct DeadLetter {
  JobId job_id;
  UserId user_id;
  std::string source_kind;
  std::optional<std::string> name;
  std::optional<std::string> engine;
  std::int64_t attempts = 0;
  std::string last_error;
  std::int64_t dead_at_ms = 0;
};

class DeadLetterRepo {
 public:
  explicit DeadLetterRepo(Db& db) : db_(db) {}
  void add(const JobId& job, std::int64_t attempts, const std::string& last_error, std::int64_t now_ms);
  bool remove(const JobId& job);
  std::optional<DeadLetter> find(const JobId& job);
  // Newest first; `before_ms` pages back (entries that died earlier).
  // Newest first, from `after` on (older entries).
  std::vector<DeadLetter> list(int limit, const std::optional<Cursor>& after);

 private:
  Db& db_;
};

}  // namespace tseeder::store
