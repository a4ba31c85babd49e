// SQL for what an account uses: active jobs, stored bytes, bytes still coming, bandwidth.
#pragma once
#include <cstdint>
#include <string>

#include "core/ids.h"
#include "store/db.h"

namespace tseeder::store {

class UsageRepo {
 public:
  explicit UsageRepo(Db& db) : db_(db) {}
  // Jobs not finished, failed or expired (paused ones count: they hold their place).
  std::int64_t active_jobs(const UserId& user);
  // Bytes of the account's stored files (a file shared with another account counts for both).
  std::int64_t stored_bytes(const UserId& user);
  // Bytes the account's unfinished jobs still bring: every wanted file of each active job whose
  // file list is known and which has stored nothing yet. `except` is left out (the job asking).
  std::int64_t incoming_bytes(const UserId& user, const JobId& except);
  // What `job` still has to fetch: its wanted files less what it has (0 while the list is unknown).
  std::int64_t still_to_fetch(const JobId& job);
  // The same summed over every running download but `except` (followers fetch nothing
  // themselves), in one statement: the disk guard asks on each dispatch.
  std::int64_t still_coming(const JobId& except);
  std::int64_t bandwidth(const UserId& user, const std::string& month);
  void add_bandwidth(const UserId& user, const std::string& month, std::int64_t bytes);

 private:
  Db& db_;
};

}  // namespace tseeder::store
