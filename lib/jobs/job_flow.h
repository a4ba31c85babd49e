// Queued jobs to engines, and what engines report back: the metadata (the file list, checked
// against the plan, the disk and the blocklist while the engine holds), progress, completion,
// failures and the end of seeding.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jobs/admission.h"
#include "jobs/finisher.h"
#include "jobs/job_ledger.h"
#include "jobs/job_runs.h"
#include "jobs/recovery.h"
#include "jobs/sharing.h"

namespace tseeder::plugin {
class PluginHost;
}

namespace tseeder::jobs {

class JobFlow {
 public:
  // Engines' events go to `events` (the lifecycle's sink, which leads back here).
  JobFlow(JobLedger& ledger, JobRuns& runs, Recovery& recovery, Admission& admission, Sharing& sharing,
          Finisher& finisher, plugin::PluginHost& plugins, EngineSink& events);

  // Starts the job of a leased queue message; false when it no longer needs running.
  bool dispatch(const JobId& id);
  // A running job whose worker went away goes back to the queue at once; no attempt is counted.
  void requeue(const JobId& id, const std::string& why);
  // Jobs still 'submitted' while every slot is busy are shown as 'queued'.
  void mark_waiting();
  // On shutdown: running jobs are stopped and left 'queued' so the next start resumes them.
  void requeue_running(const std::string& reason);
  // Applies the job's settings to its running engine (a failure to is a retryable failure).
  void reconfigure(const Job& job);

  void on_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                   const std::vector<plugin::EngineFile>& files);
  void on_progress(const JobId& id, const plugin::EngineProgress& p);
  // Adds what moved since the kept progress to the process's traffic counters (/metrics).
  static void count_traffic(const Progress& was, const plugin::EngineProgress& now);
  // A `notice` event of a running job; kind and message come from an engine (or an agent), so
  // they are checked and cut to size.
  void on_notice(const JobId& id, const std::string& kind, const std::string& message);
  void on_completed(const JobId& id, const std::vector<plugin::EngineFile>& files, bool seeding);
  // Stops a seeding run, drops its work dir and records a seeding_done event with `data`.
  void end_seeding(const JobId& id, const Json& data);
  // At start: completed jobs whose work dir the last stop left (they were seeding) seed again from
  // it, their engine checking the files it kept, so nothing is downloaded again; the work dirs of
  // those no local engine can seed go. How many seed again.
  int resume_seeding();

 private:
  JobLedger& ledger_;
  JobRuns& runs_;
  Recovery& recovery_;
  Admission& admission_;
  Sharing& sharing_;
  Finisher& finisher_;
  plugin::PluginHost& plugins_;
  EngineSink& events_;
};

}  // namespace tseeder::jobs
