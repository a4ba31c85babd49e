// Plan limits in force: which jobs an account may start, what content fits, and what it has used.
// Runs on the event loop, inside the transaction that changes what it counts, so concurrent
// requests cannot slip past a limit together.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "model/job.h"
#include "store/db.h"
#include "store/plan_repo.h"

namespace tseeder::quota {

class BandwidthMeter;

struct Usage {
  quota::Plan plan;
  std::int64_t active_jobs = 0;
  std::int64_t stored_bytes = 0;
  std::int64_t incoming_bytes = 0;   // wanted by unfinished jobs, reserved against storage
  std::int64_t bandwidth_bytes = 0;  // served this month, in-flight downloads included
  std::string month;
  std::int64_t month_start_ms = 0, month_end_ms = 0;
};

class Quota {
 public:
  Quota(store::Db& db, const Clock& clock, BandwidthMeter& meter);

  // Before a job becomes active (creation, retry): room for one more job, and storage not full.
  // `known_bytes` is the content's size when the source tells it (a .torrent file).
  void check_admission(const UserId& user, std::optional<std::uint64_t> known_bytes = std::nullopt);
  // Once the file list is known: the largest wanted file and the whole wanted size against the
  // plan. The Error to fail the job with (QUOTA_FILE_SIZE, QUOTA_STORAGE), or nullopt when it fits.
  std::optional<Error> check_content(const UserId& user, const JobId& job, const std::vector<jobs::ContentFile>& files);
  Usage usage(const UserId& user);
  // The plan of an account; Error(not_found) when it has none.
  quota::Plan plan_of(const UserId& user);

 private:
  store::Db& db_;
  const Clock& clock_;
  BandwidthMeter& meter_;
};

Json to_json(const Usage& u);
Json to_json(const quota::Plan& p);

}  // namespace tseeder::quota
