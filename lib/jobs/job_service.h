// The job lifecycle, put together. Its parts, each in its own file around the ledger that
// records every state change:
//   JobLedger    state changes, events, live publication (job_ledger.h)
//   JobRuns      engines and pipeline steps, work dirs (job_runs.h)
//   Recovery     failures and retries, internal errors, restarts (recovery.h)
//   Admission    blocklist, plan, disk guard (admission.h)
//   Sharing      dedup: stored content, running downloads followed (sharing.h)
//   Finisher     virus scan and upload after the engine (finisher.h)
//   JobFlow      dispatch and engine events (job_flow.h)
//   JobActions   what users (and the retention sweep) do (job_actions.h)
//   Dispatcher   hands queued jobs to free slots (dispatcher.h)
// Engines (through Workers) and a fleet's agents report here; handlers use the parts.
#pragma once
#include <boost/asio/io_context.hpp>
#include <string>

#include "jobs/admission.h"
#include "jobs/dispatcher.h"
#include "jobs/finisher.h"
#include "jobs/job_actions.h"
#include "jobs/job_flow.h"
#include "jobs/job_ledger.h"
#include "jobs/job_runs.h"
#include "jobs/recovery.h"
#include "jobs/sharing.h"
#include "jobs/workers.h"

namespace tseeder::jobs {

struct LifecycleSettings {
  ServicePaths paths;
  queue::RetryPolicy retry;
  bool scan_enabled = true;  // off: finished downloads are stored unscanned ('skipped')
  DiskGuard disk;
  std::string node = "local";  // whose queue leases are whose
};

class JobService final : public RemoteEvents, private Followers, private WorkSignal {
 public:
  JobService(boost::asio::io_context& io, store::Db& db, progress::ProgressHub& hub, storage::StorageBackend& storage,
             plugin::PluginHost& plugins, quota::Quota& quota, Pipeline& pipeline, Workers& workers, const Clock& clock,
             LifecycleSettings settings, Report report);

  JobActions& actions() { return actions_; }
  Admission& admission() { return admission_; }
  JobFlow& flow() { return flow_; }
  Recovery& recovery() { return recovery_; }
  Dispatcher& dispatcher() { return dispatcher_; }

  // ---- what engines and agents report (EngineSink, RemoteEvents) ----
  void on_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                   const std::vector<plugin::EngineFile>& files) override;
  void on_progress(const JobId& id, const plugin::EngineProgress& p) override;
  void on_completed(const JobId& id, const std::vector<plugin::EngineFile>& files, bool seeding) override;
  void on_seeding_done(const JobId& id, std::uint64_t uploaded, std::uint64_t seconds) override;
  void on_failed(const JobId& id, const std::string& reason, bool retryable) override;
  void on_content_ids(const JobId& id, const std::vector<std::string>& ids, std::optional<bool> is_private) override;
  void on_notice(const JobId& id, const std::string& kind, const std::string& message) override;
  void on_internal_error(const JobId& id, const std::string& what) noexcept override;
  void on_scanned(const JobId& id, const ScanOutcome& outcome) override;
  void on_stored(const JobId& id, const StoreOutcome& outcome) override;
  void requeue(const JobId& id, const std::string& why) override;
  void guarded(const JobId& id, const std::function<void()>& work) noexcept override;

 private:
  void leader_moved(const JobId& leader, JobState to) override;
  void work_available() override;

  JobLedger ledger_;
  JobRuns runs_;
  Recovery recovery_;
  Admission admission_;
  Sharing sharing_;
  Finisher finisher_;
  JobFlow flow_;
  JobActions actions_;
  Dispatcher dispatcher_;
};

}  // namespace tseeder::jobs
