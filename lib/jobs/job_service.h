// Business rules for jobs: creation, user actions, and what engine events mean. Every state
// change goes through the transition table, is stored with its event in one transaction and is
// then published to live subscribers.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "jobs/job_options.h"
#include "jobs/job_source.h"
#include "model/job.h"
#include "model/retry_policy.h"
#include "plugin/engine.h"
#include "progress/progress_hub.h"
#include "storage/storage_backend.h"
#include "store/db.h"
#include "store/event_repo.h"
#include "store/job_repo.h"

namespace tseeder::plugin {
class PluginHost;
}
namespace tseeder::quota {
class Quota;
}
namespace tseeder::store {
class QueueRepo;
}

namespace tseeder::jobs {

class Pipeline;
struct ScanOutcome;
struct StoreOutcome;

// What the service needs from whoever runs engines: this process (JobRunner) or the agents of a
// fleet (fleet::Controller); a seam for tests.
class Workers {
 public:
  virtual ~Workers() = default;
  virtual void start(const Job& job, plugin::Engine& engine, const plugin::JobSettings& settings) = 0;
  // Applies new settings to a running job (restarting it when the engine cannot change them live).
  virtual void configure(const JobId& job, const plugin::JobSettings& settings) = 0;
  virtual void stop(const JobId& job) = 0;  // no-op when not running
  virtual bool running(const JobId& job) const = 0;
  virtual std::size_t active() const = 0;    // downloading, not seeding
  virtual std::size_t capacity() const = 0;  // how many may download at once
  // Why no worker can take a job of `engine` now (it then waits in the queue), or nullopt.
  virtual std::optional<std::string> unable(const std::string& engine) const = 0;
  // The download finished: its slot is free; a seeding engine keeps uploading to peers.
  virtual void downloaded(const JobId& job, bool seeding) = 0;
  // True for a job on another machine: it scans and stores its download itself, and it goes on
  // while this daemon restarts.
  virtual bool remote(const JobId& job) const = 0;
};

// Where engine events go: the job service, or an agent that reports them to its controller.
class EngineSink {
 public:
  virtual ~EngineSink() = default;
  virtual void on_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                           const std::vector<plugin::EngineFile>& files) = 0;
  virtual void on_progress(const JobId& id, const plugin::EngineProgress& p) = 0;
  // `seeding`: the engine keeps the work dir to seed from; files are stored as copies.
  virtual void on_completed(const JobId& id, const std::vector<plugin::EngineFile>& files, bool seeding) = 0;
  virtual void on_seeding_done(const JobId& id, std::uint64_t uploaded, std::uint64_t seconds) = 0;
  virtual void on_failed(const JobId& id, const std::string& reason, bool retryable) = 0;
  // The content's identities learnt with its metadata, and whether it is a private torrent
  // (nullopt: the engine did not say).
  virtual void on_content_ids(const JobId& id, const std::vector<std::string>& ids, std::optional<bool> is_private) = 0;
  // An error escaped the handling of one of the job's events: the job ends with it, never the
  // process. Reports it and never throws.
  virtual void on_internal_error(const JobId& id, const std::string& what) noexcept = 0;
};

struct ServicePaths {
  std::string downloads_dir;  // work dirs: downloads_dir/{jobId}
  std::string torrents_dir;   // uploaded .torrent files: torrents_dir/{jobId}.torrent
};

struct Created {
  Job job;
  bool created = true;  // false: the user already had a job for this infohash
};

class JobService final : public EngineSink {
 public:
  // Errors that ended a job rather than the daemon go to `report` (the daemon's log).
  using Report = std::function<void(const JobId& job, const std::string& what)>;
  JobService(store::Db& db, progress::ProgressHub& hub, storage::StorageBackend& storage, plugin::PluginHost& plugins,
             const Clock& clock, ServicePaths paths, Report report = {});

  void set_workers(Workers* workers) { workers_ = workers; }
  // Called after anything that may give the dispatcher work.
  void set_work_signal(std::function<void()> signal) { work_signal_ = std::move(signal); }
  void set_retry_policy(queue::RetryPolicy p) { retry_ = p; }
  // Where scans and uploads run; required before any job finishes downloading.
  void set_pipeline(Pipeline* pipeline) { pipeline_ = pipeline; }
  // Off: finished downloads go straight to storage with scan_status 'skipped'.
  void set_scan_enabled(bool on) { scan_enabled_ = on; }
  // Plan limits; none set: nothing is limited.
  void set_quota(quota::Quota* quota) { quota_ = quota; }
  // Free space in the download directory must cover what jobs still fetch plus `reserve_bytes`;
  // `free_space` tells the free bytes of a directory (statvfs; tests give their own).
  using FreeSpace = std::function<std::uint64_t(const std::string& dir)>;
  void set_disk_guard(std::uint64_t reserve_bytes, FreeSpace free_space) {
    reserve_bytes_ = reserve_bytes;
    free_space_ = std::move(free_space);
  }

  // ---- user actions ----
  Created create(const UserId& owner, const JobRequest& req);
  Job get(const UserId& owner, const JobId& id);
  std::vector<Job> list(const store::JobListQuery& q);
  std::int64_t count(const store::JobListQuery& q);
  // The job's file list with priorities and, once stored, each file's id.
  std::vector<JobFile> contents(const UserId& owner, const JobId& id);
  // PATCH /jobs/{id}/files: before completion, while the file list is known.
  std::vector<JobFile> change_files(const UserId& owner, const JobId& id, const std::vector<FileChange>& changes);
  // PATCH /jobs/{id}: sequential order and rate limits.
  Job set_options(const UserId& owner, const JobId& id, const JobOptions& options);
  StoredFile file(const UserId& owner, const JobId& id, std::int64_t file_id);
  std::vector<StoredFile> stored_files(const UserId& owner, const JobId& id);
  // A stored file and its job's owner, for download links (which carry no session).
  std::pair<UserId, StoredFile> stored_file(const JobId& id, std::int64_t file_id);
  std::vector<store::StoredEvent> events_after(const JobId& id, std::int64_t seq, int limit = 1000);
  // Pausing a completed job that still seeds stops the seeding.
  Job pause(const UserId& owner, const JobId& id);
  Job resume(const UserId& owner, const JobId& id);
  Job cancel(const UserId& owner, const JobId& id);
  // A failed job back to the queue with a fresh set of attempts (off the dead-letter list).
  Job retry(const UserId& owner, const JobId& id, const std::string& reason = "retried by user");
  void remove(const UserId& owner, const JobId& id);

  // ---- dispatcher ----
  // Starts the job of a leased queue message on `engine`; false when it no longer needs running.
  bool dispatch(const JobId& id);
  // A running job whose worker went away goes back to the queue at once; no attempt is counted.
  void requeue(const JobId& id, const std::string& why);
  // Jobs still 'submitted' while every slot is busy are shown as 'queued'.
  void mark_waiting();
  // After a restart: running jobs go back to 'queued' and every waiting job has a message.
  int recover(const std::string& node);
  // On shutdown: running jobs are stopped and left 'queued' so the next start resumes them.
  void requeue_running(const std::string& reason);

  // ---- engine events (on the event loop) ----
  void on_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                   const std::vector<plugin::EngineFile>& files) override;
  void on_progress(const JobId& id, const plugin::EngineProgress& p) override;
  void on_completed(const JobId& id, const std::vector<plugin::EngineFile>& files, bool seeding) override;
  void on_seeding_done(const JobId& id, std::uint64_t uploaded, std::uint64_t seconds) override;
  void on_failed(const JobId& id, const std::string& reason, bool retryable) override;
  // Checked against the blocklist.
  void on_content_ids(const JobId& id, const std::vector<std::string>& ids, std::optional<bool> is_private) override;
  // A remote worker's scan and upload (they ran on its machine).
  void on_scanned(const JobId& id, const ScanOutcome& outcome);
  void on_stored(const JobId& id, const StoreOutcome& outcome);
  // The job fails as "internal error" (errorCode INTERNAL), keeping its partial data for a retry.
  void on_internal_error(const JobId& id, const std::string& what) noexcept override;
  // Runs `work` for job `id` on the event loop; an error escaping it goes to on_internal_error.
  void guarded(const JobId& id, const std::function<void()>& work) noexcept;

  // While downloading: when free space falls below the reserve, the newest download goes back
  // to the queue. Called periodically.
  void check_disk();

  // ---- staff ----
  // Unfinished jobs of a newly blocked infohash fail with BLOCKED; returns how many.
  int stop_blocked(const std::string& infohash);
  // Retention passed: a completed job becomes expired and its files rows go. Returns the objects
  // it leaves behind that no other job shares (its metadata.json included), for the caller to
  // remove from storage.
  std::vector<storage::StoredObject> expire(const Job& job, const std::string& reason);

  std::string work_dir(const JobId& id) const;
  std::string torrent_path(const JobId& id) const;

 private:
  Job require(const UserId& owner, const JobId& id);
  // Stops any run and moves to paused/cancelled; the queue message goes.
  Job stop_as(const UserId& owner, const JobId& id, JobState to, const std::string& reason);
  // From `from` back to queued with a fresh queue message.
  Job requeue_from(const UserId& owner, const JobId& id, JobState from, const std::string& reason);
  // Checks the table, stores status + event (+ `also` inside the same transaction), publishes.
  // `detail`'s fields join the event's.
  void transition(const Job& job, JobState to, const std::string& reason,
                  const std::optional<std::string>& error = std::nullopt, const std::function<void()>& also = {},
                  const Json& detail = {});
  // After an unclean stop: back to the queue, unless the last unclean stop found the job at the
  // same step with no progress since (a step that brings the daemon down every time): then it fails.
  // True when requeued.
  bool recover_job(const Job& job, store::QueueRepo& queue);
  void publish(const JobId& id, std::int64_t seq, const std::string& type, const std::string& data, bool final = false);
  // Stops the job's engine and finishing and removes its working files.
  void discard_work(const JobId& id);
  void remove_work_dir(const JobId& id);
  // Ends a job that may not go on (over a plan limit, blocked content): its run stops, what it
  // fetched goes, and it fails with the error's message and code.
  void refuse(const Job& job, const Error& why);
  // Hands an error that ended a job (or other work) rather than the daemon to report_.
  void report(const JobId& id, const std::string& what) noexcept;
  // Whether the job's content (by infohash or content key) is on the blocklist.
  bool blocked(const Job& job);
  // Why `job` may not fetch now for want of disk space, or nullopt when it fits.
  std::optional<std::string> disk_short(const Job& job);
  // Puts a job that cannot fetch yet back in the queue (dispatch again in 30 s), saying why once.
  void wait_in_queue(const Job& job, const std::string& why);
  // False when `listed` is over the owner's plan: the job was refused.
  bool within_plan(const JobId& id, const UserId& owner, const std::vector<ContentFile>& listed);
  // Gives `job` the file list it takes from `source`, another job of its content (storing it
  // with `source`'s name and size unless the job holds that list already); false when the list
  // is over the owner's plan and the job was refused.
  bool take_list(const Job& job, const Job& source, const std::vector<ContentFile>& listed, std::size_t own_size);
  // Stores the job's file list with its metadata_ready event.
  void store_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                      const std::vector<ContentFile>& listed);
  // Stores and publishes live progress of a downloading job.
  void publish_progress(const JobId& id, const Progress& p);
  // The files rows of a completed job, its final progress; its queue message goes. Call inside
  // the transition to completed.
  void keep_files(const JobId& id, const std::vector<StoredFile>& files);

  // ---- dedup: one download per content, whoever asks ----
  // Whether `job` may have the files of `source` (another job of its content, maybe another
  // account's): always with the .torrent in hand, with only an infohash for public content.
  static bool may_share(const Job& source, const Job& job);
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

  // After the engine: scanning (unless off or already done), then uploading.
  void finish(const Job& job, const std::string& why);
  void start_scan(const Job& job);
  void start_store(const Job& job);
  // Stores an event (and `also`, in the same transaction) and publishes it.
  void record_event(const JobId& id, const std::string& type, const Json& data, const std::function<void()>& also = {});
  // Stops a seeding run, drops its work dir and records a seeding_done event with `data`.
  void end_seeding(const JobId& id, const Json& data);
  void signal_work();
  std::string idempotency_key(const Job& job) const;
  // What the engine is told about the job's options and file priorities.
  plugin::JobSettings settings_for(const Job& job);
  void reconfigure(const Job& job);

  store::Db& db_;
  store::JobRepo jobs_;
  store::EventRepo events_;
  progress::ProgressHub& hub_;
  storage::StorageBackend& storage_;
  plugin::PluginHost& plugins_;
  const Clock& clock_;
  ServicePaths paths_;
  Report report_;
  queue::RetryPolicy retry_;
  Workers* workers_ = nullptr;
  Pipeline* pipeline_ = nullptr;
  bool scan_enabled_ = true;
  quota::Quota* quota_ = nullptr;
  std::uint64_t reserve_bytes_ = 0;
  FreeSpace free_space_;
  std::function<void()> work_signal_;
};

}  // namespace tseeder::jobs
