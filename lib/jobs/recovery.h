// How a job survives what goes wrong around it: failures engines and steps report (retried with
// backoff, then the dead-letter list), jobs that may not go on, errors that escape the handling
// of a job's events, and restarts after an unclean stop.
#pragma once
#include <functional>
#include <string>

#include "core/error.h"
#include "jobs/job_ledger.h"
#include "jobs/job_runs.h"
#include "model/retry_policy.h"

namespace tseeder::store {
class QueueRepo;
}

namespace tseeder::jobs {

// Errors that ended a job rather than the daemon go here (the daemon's log).
using Report = std::function<void(const JobId& job, const std::string& what)>;

class Recovery {
 public:
  Recovery(JobLedger& ledger, JobRuns& runs, queue::RetryPolicy retry, Report report);

  // Retryable: back to the queue after a backoff, until the attempts run out (then failed and on
  // the dead-letter list). Not retryable: failed at once.
  void on_failed(const JobId& id, const std::string& reason, bool retryable);
  // Ends a job that may not go on (over a plan limit, blocked content): its run stops, what it
  // fetched goes, and it fails with the error's message and code.
  void refuse(const Job& job, const Error& why);
  // The job fails as "internal error" (errorCode INTERNAL), keeping its partial data for a retry.
  void on_internal_error(const JobId& id, const std::string& what) noexcept;
  // Runs `work` for job `id`; an error escaping it goes to on_internal_error.
  void guarded(const JobId& id, const std::function<void()>& work) noexcept;
  // Hands an error that ended a job (or other work) rather than the daemon to the report.
  void report(const JobId& id, const std::string& what) noexcept;
  // After a restart, before dispatching: running jobs go back to 'queued' (a job found twice at
  // the same step with no progress fails instead), completed jobs' work dirs go, and so do dirs
  // a stop left renamed aside (JobRuns::remove_work_dir). Returns how
  // many were requeued. Costs what is running and on disk, not what the store holds.
  int recover(const std::string& node);
  // Gives the jobs found by JobRepo::unqueued_waiting (read off the loop) their queue message,
  // those still waiting. Returns how many.
  int enqueue_missing(const std::vector<JobId>& ids);

 private:
  // After an unclean stop: back to the queue, unless the last unclean stop found the job at the
  // same step with no progress since (a step that brings the daemon down every time). True when
  // requeued.
  bool recover_job(const Job& job, store::QueueRepo& queue);

  JobLedger& ledger_;
  JobRuns& runs_;
  queue::RetryPolicy retry_;
  Report report_;
};

}  // namespace tseeder::jobs
