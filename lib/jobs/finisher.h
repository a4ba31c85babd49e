// After the engine: the virus scan, then the upload to storage, each on a pipeline worker; the
// job completes when its files are stored. A fleet's agents run both themselves and report.
#pragma once
#include <string>

#include "jobs/finishing.h"
#include "jobs/job_ledger.h"
#include "jobs/job_runs.h"
#include "jobs/more_files.h"
#include "jobs/recovery.h"

namespace tseeder::plugin {
class PluginHost;
}
namespace tseeder::storage {
class StorageBackend;
}

namespace tseeder::jobs {

class Finisher {
 public:
  // Without `scan_enabled`, finished downloads go straight to storage with scan_status 'skipped'.
  Finisher(JobLedger& ledger, JobRuns& runs, Recovery& recovery, storage::StorageBackend& storage,
           plugin::PluginHost& plugins, bool scan_enabled);

  // Scanning (unless off or already done), then uploading.
  void finish(const Job& job, const std::string& why);
  // The outcome of a scan or an upload (run here, or on the job's agent).
  void on_scanned(const JobId& id, const ScanOutcome& outcome);
  void on_stored(const JobId& id, const StoreOutcome& outcome);

 private:
  void start_scan(const Job& job);
  void start_store(const Job& job);

  JobLedger& ledger_;
  JobRuns& runs_;
  MoreFiles more_;
  Recovery& recovery_;
  storage::StorageBackend& storage_;
  plugin::PluginHost& plugins_;
  bool scan_enabled_;
};

}  // namespace tseeder::jobs
