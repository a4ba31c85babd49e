// The one place a job's state changes: the transition table is checked, the status is stored with
// its event and whatever goes with it (the queue message above all) in one transaction, the event
// is published to live streams, and the jobs that follow this one's download hear of it. Every
// part of the lifecycle records through here.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json_util.h"
#include "model/job.h"
#include "progress/progress_hub.h"
#include "store/db.h"
#include "store/event_repo.h"
#include "store/job_repo.h"

namespace tseeder::jobs {

// Told after a job that runs its own download changed state, so the jobs following it move too.
class Followers {
 public:
  virtual ~Followers() = default;
  virtual void leader_moved(const JobId& leader, JobState to) = 0;
};

// Told after anything that may give the dispatcher work.
class WorkSignal {
 public:
  virtual ~WorkSignal() = default;
  virtual void work_available() = 0;
};

class JobLedger {
 public:
  JobLedger(store::Db& db, progress::ProgressHub& hub, const Clock& clock, Followers& followers, WorkSignal& work);

  store::Db& db() { return db_; }
  store::JobRepo& jobs() { return jobs_; }
  const Clock& clock() const { return clock_; }
  // The owner's job; another owner's is reported exactly like a missing one.
  Job require(const UserId& owner, const JobId& id);

  // Checks the table, stores status + event (+ `also` inside the same transaction), publishes.
  // `detail`'s fields join the event's.
  void transition(const Job& job, JobState to, const std::string& reason,
                  const std::optional<std::string>& error = std::nullopt, const std::function<void()>& also = {},
                  const Json& detail = {});
  // A new job: `check` (may throw), its row, `also` and its first event (`type`) in one
  // transaction, then the event published. The row is written already counting the event.
  void record_new(Job& job, const std::string& type, const Json& data, const std::function<void()>& check,
                  const std::function<void()>& also);
  // Stores `also`'s changes and then the event in one transaction, and publishes the event.
  void record_event(const JobId& id, const std::string& type, const Json& data, const std::function<void()>& also = {});
  void publish(const JobId& id, std::int64_t seq, const std::string& type, const std::string& data, bool final = false);
  // Stores and publishes live progress of a downloading job.
  void publish_progress(const JobId& id, const Progress& p, JobState status = JobState::downloading);
  // The job's file list with its metadata_ready event.
  void record_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                       const std::vector<ContentFile>& listed);
  // The files rows of a completed job, its final progress; its queue message goes. Call inside
  // the transition to completed.
  void keep_files(const JobId& id, const std::vector<StoredFile>& files);
  std::vector<store::StoredEvent> events_after(const JobId& id, std::int64_t seq, int limit = 1000);
  // The queue message's key: one per owner and content.
  std::string idempotency_key(const Job& job) const;
  void signal_work() { work_.work_available(); }

 private:
  // In one transaction `write` (the job's own changes; it returns the number the job's row counts
  // for the event) and the event; then the event is published.
  void store_event(const JobId& id, const std::string& type, const Json& data, std::int64_t now_ms,
                   const std::function<std::int64_t()>& write);

  store::Db& db_;
  store::JobRepo jobs_;
  store::EventRepo events_;
  progress::ProgressHub& hub_;
  const Clock& clock_;
  Followers& followers_;
  WorkSignal& work_;
};

}  // namespace tseeder::jobs
