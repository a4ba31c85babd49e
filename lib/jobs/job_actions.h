// What users do with their jobs: add one, look at them, choose files and options, pause,
// resume, cancel, retry, delete; and the retention sweep's expiry of a stored job.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jobs/admission.h"
#include "jobs/job_flow.h"
#include "jobs/job_ledger.h"
#include "jobs/job_options.h"
#include "jobs/job_runs.h"
#include "jobs/job_source.h"
#include "jobs/more_files.h"
#include "jobs/recovery.h"
#include "jobs/sharing.h"
#include "storage/storage_backend.h"

namespace tseeder::plugin {
class PluginHost;
}

namespace tseeder::jobs {

struct Created {
  Job job;
  bool created = true;  // false: the user already had a job for this infohash
};

class JobActions {
 public:
  JobActions(JobLedger& ledger, JobRuns& runs, Recovery& recovery, Admission& admission, Sharing& sharing,
             JobFlow& flow, plugin::PluginHost& plugins, storage::StorageBackend& storage);

  Created create(const UserId& owner, const JobRequest& req);
  Job get(const UserId& owner, const JobId& id);
  std::vector<Job> list(const store::JobListQuery& q);
  std::int64_t count(const store::JobListQuery& q);
  // The owner's jobs whose id begins with `prefix` (4-16 lowercase hex characters; anything else
  // is invalid_argument), up to `limit`, and how many there are in all.
  std::pair<std::vector<Job>, std::int64_t> with_id_prefix(const UserId& owner, const std::string& prefix, int limit);
  // Up to `limit` files of the job's list after index `after` (-1: from the first), with
  // priorities and, once stored, each file's id. A job stored before file lists were kept has
  // only its stored files, all of them, without indexes.
  std::vector<JobFile> contents(const UserId& owner, const JobId& id, std::int64_t after, int limit);
  // PATCH /jobs/{id}/files: while the file list is known and the job is not storing or gone.
  // Files selected after completion are fetched in a further round; stored files stay wanted.
  // Answers with the first `limit` files of the list.
  std::vector<JobFile> change_files(const UserId& owner, const JobId& id, int limit,
                                    const std::vector<FileChange>& changes);
  // PATCH /jobs/{id}: sequential order and rate limits.
  Job set_options(const UserId& owner, const JobId& id, const JobOptions& options);
  StoredFile file(const UserId& owner, const JobId& id, std::int64_t file_id);
  std::vector<StoredFile> stored_files(const UserId& owner, const JobId& id);
  // A stored file and its job's owner, for download links (which carry no session).
  std::pair<UserId, StoredFile> stored_file(const JobId& id, std::int64_t file_id);
  std::vector<store::StoredEvent> events_after(const JobId& id, std::int64_t seq, int limit = 1000);
  // Pausing a completed job that still seeds stops the seeding.
  Job pause(const UserId& owner, const JobId& id);
  // The engine's live details of the owner's running BitTorrent job (trackers with their last
  // answers, peers); conflict when it is not one, or not running on this machine.
  Json live_details(const UserId& owner, const JobId& id);
  // job_notes() of a job already read: recent notices, and why and when a retry comes.
  Json notes(const Job& job);
  // Announces the owner's running BitTorrent job to its trackers now.
  void reannounce(const UserId& owner, const JobId& id);
  Job resume(const UserId& owner, const JobId& id);
  Job cancel(const UserId& owner, const JobId& id);
  // A failed job back to the queue with a fresh set of attempts (off the dead-letter list).
  Job retry(const UserId& owner, const JobId& id, const std::string& reason = "retried by user");
  void remove(const UserId& owner, const JobId& id);
  // Retention passed: a completed job becomes expired and its files rows go. Returns the objects
  // it leaves behind that no other job shares (its metadata.json included), for the caller to
  // remove from storage.
  std::vector<storage::StoredObject> expire(const Job& job, const std::string& reason);
  // Staff end an unfinished job of any user: cancelled wherever it runs, its partial data gone,
  // `reason` in its timeline. Error(conflict) for a finished job.
  Job terminate(const JobId& id, const std::string& reason);

 private:
  // Stops any run and moves to paused/cancelled; the queue message goes.
  Job stop_as(const UserId& owner, const JobId& id, JobState to, const std::string& reason);
  // From `from` back to queued with a fresh queue message.
  Job requeue_from(const UserId& owner, const JobId& id, JobState from, const std::string& reason);

  // The same content added again with `files`: those become wanted in `job`.
  Job select_more(const Job& job, const std::vector<std::uint32_t>& files);

  JobLedger& ledger_;
  JobRuns& runs_;
  MoreFiles more_;
  Recovery& recovery_;
  Admission& admission_;
  Sharing& sharing_;
  JobFlow& flow_;
  plugin::PluginHost& plugins_;
  storage::StorageBackend& storage_;
};

}  // namespace tseeder::jobs
