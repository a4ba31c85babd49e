// A completed torrent job can fetch files it left out: selecting them sends it back to the queue
// for a further round that fetches only those, keeps what it stored, and ends completed again,
// with the new files or (cancelled, infected) without them.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "jobs/job_ledger.h"
#include "jobs/job_runs.h"

namespace tseeder::jobs {

struct ScanState {
  std::optional<std::string> status;
  std::optional<std::string> detail;
};

// Whether the job stored files in an earlier round, i.e. it is fetching more of its content.
bool has_stored_files(store::Db& db, const JobId& id);
// The paths of the files `id` has stored.
std::set<std::string> stored_paths(store::Db& db, const JobId& id);
// The list with the files among `stored` marked as not to fetch.
std::vector<ContentFile> skip_stored(std::vector<ContentFile> listed, const std::set<std::string>& stored);
// The same with the files `id` has stored already.
std::vector<ContentFile> without_stored(store::Db& db, const JobId& id, std::vector<ContentFile> listed);
// What a job's scan status becomes after a round whose files scanned as `now`: the worse of it
// and the status of the files stored before the round (clean < skipped < error).
ScanState combined_scan(store::Db& db, const JobId& id, const ScanState& now);

class MoreFiles {
 public:
  MoreFiles(JobLedger& ledger, JobRuns& runs) : ledger_(ledger), runs_(runs) {}

  // After the selection of completed `job` changed to `listed`: when it wants files it has not
  // stored, it stops seeding and goes back to the queue for them. False when nothing is new.
  bool reopen(const Job& job, const std::vector<ContentFile>& listed);
  // Ends a round without its files: the job is completed again with what it stored before, and
  // the files of the round are unselected.
  void settle(const Job& job, const std::string& reason);

 private:
  JobLedger& ledger_;
  JobRuns& runs_;
};

}  // namespace tseeder::jobs
