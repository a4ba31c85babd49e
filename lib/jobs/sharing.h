// One download per content, whoever asks: a job completes at once from the stored files of
// another job of its content, or follows that job's running download instead of starting its
// own; a private torrent only for those who hold its metadata.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "jobs/admission.h"
#include "jobs/job_ledger.h"
#include "jobs/job_runs.h"

namespace tseeder::jobs {

class Sharing {
 public:
  Sharing(JobLedger& ledger, JobRuns& runs, Admission& admission);

  // Whether `job` may have the files of `source` (another job of its content, maybe another
  // account's): always with the .torrent in hand, with only an infohash for public content.
  static bool may_share(const Job& source, const Job& job);
  // Whether `job` may take another job's stored files or follow its download: not when it is
  // fetching files selected after it completed (its own objects stand for part of the content).
  bool may_take_shares(const Job& job);
  // Completes `job` at once from the stored objects of another job of the same content when
  // they hold every file it wants; true when that settled the job (completed, or over its plan).
  bool share_stored(const Job& job);
  // `job` follows `leader`'s running download: it moves through the same states, gets its
  // progress, and shares its files when it completes.
  void follow(const Job& job, const Job& leader);
  // Back to the queue to run again at once (a follower, on its own).
  void back_to_queue(const Job& job, const std::string& why);
  // After a job running its own download moved to `to`: its followers move along, share its
  // files, or leave.
  void lead(const JobId& leader, JobState to);

 private:
  // Gives `job` the file list it takes from `source`, another job of its content (storing it
  // with `source`'s name and size unless the job holds that list already); false when the list
  // is over the owner's plan and the job was refused.
  bool take_list(const Job& job, const Job& source, const std::vector<ContentFile>& listed, std::size_t own_size);

  JobLedger& ledger_;
  JobRuns& runs_;
  Admission& admission_;
};

}  // namespace tseeder::jobs
