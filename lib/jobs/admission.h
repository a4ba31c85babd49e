// Whether a job may go on: the blocklist, the owner's plan, the disk guard. A job that may not
// go on yet waits in the queue saying why and is looked at again in 30 s; one that may not at
// all is refused (Recovery::refuse).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "jobs/job_ledger.h"
#include "jobs/job_runs.h"
#include "jobs/recovery.h"

namespace tseeder::quota {
class Quota;
}

namespace tseeder::jobs {

// Free space in the download directory must cover what jobs still fetch plus `reserve_bytes`;
// `free_space` tells the free bytes of a directory (statvfs; tests give their own). A daemon
// that downloads nothing itself (a fleet controller) says there is always room.
using FreeSpace = std::function<std::uint64_t(const std::string& dir)>;
struct DiskGuard {
  std::uint64_t reserve_bytes = 0;
  FreeSpace free_space;
};

inline constexpr std::int64_t kRecheckMs = 30'000;  // a job waiting for disk space or a shared download

class Admission {
 public:
  Admission(JobLedger& ledger, JobRuns& runs, Recovery& recovery, quota::Quota& quota, DiskGuard guard);

  static Error blocked_error();
  // Whether the job's content (by infohash or content key) is on the blocklist.
  bool blocked(const Job& job);
  // Room under the owner's plan for one more active job (of `known_bytes`, when known); throws
  // the plan's error. Inside the transaction that makes the job active.
  void check_active(const UserId& owner, std::optional<std::uint64_t> known_bytes = std::nullopt);
  // Why `listed` is over the owner's plan, or nullopt.
  std::optional<Error> over_plan(const UserId& owner, const JobId& id, const std::vector<ContentFile>& listed);
  // False when `listed` is over the owner's plan: the job was refused.
  bool within_plan(const JobId& id, const UserId& owner, const std::vector<ContentFile>& listed);
  // Why `job` may not fetch now for want of disk space, or nullopt when it fits.
  std::optional<std::string> disk_short(const Job& job);
  // Puts a job that cannot fetch yet back in the queue (dispatch again in 30 s), saying why once.
  void wait_in_queue(const Job& job, const std::string& why);
  // While downloading: when free space falls below the reserve, the newest download goes back
  // to the queue. Called periodically.
  void check_disk();
  // The identities and privacy of a job's content, learnt with its metadata: checked against
  // the blocklist, and the first identity names the content from now on.
  void on_content_ids(const JobId& id, const std::vector<std::string>& ids, std::optional<bool> is_private);
  // Unfinished jobs of a newly blocked infohash fail with BLOCKED; returns how many.
  int stop_blocked(const std::string& infohash);

 private:
  JobLedger& ledger_;
  JobRuns& runs_;
  Recovery& recovery_;
  quota::Quota& quota_;
  DiskGuard guard_;
};

}  // namespace tseeder::jobs
