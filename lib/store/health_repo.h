// SQL for the health view and metrics: the store's own check, the waiting jobs, the dead letters,
// jobs by state, sessions, stored bytes, the rates of running downloads.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace tseeder::store {

struct WaitingJobs {
  std::int64_t count = 0;
  std::optional<std::int64_t> oldest_created_ms;
};

struct DeadLetterCounts {
  std::int64_t total = 0;
  std::int64_t since = 0;  // dead after the time asked about
};

struct JobCount {
  std::string status;
  std::string engine;  // empty while none is chosen
  std::int64_t count = 0;
};

struct Rates {
  std::int64_t download_bps = 0;
  std::int64_t upload_bps = 0;
};

class HealthRepo {
 public:
  explicit HealthRepo(Db& db) : db_(db) {}
  // PRAGMA quick_check: "ok", or the first problem it found.
  std::string quick_check();
  // Jobs submitted or queued and not yet started (through jobs_by_status_created).
  WaitingJobs waiting();
  DeadLetterCounts dead_letters(std::int64_t since_ms);
  // Every job counted by state and engine: a walk of the (status, created_at) index and the rows,
  // the one cost here that grows with the jobs kept.
  std::vector<JobCount> jobs_by_state();
  std::int64_t active_sessions(std::int64_t now_ms);
  std::int64_t stored_bytes();  // every account's files (storage_usage)
  Rates running_rates();        // of the jobs downloading now

 private:
  Db& db_;
};

}  // namespace tseeder::store
