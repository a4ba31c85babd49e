// The storage sweep: files of completed jobs past their plan's retention leave storage (the
// jobs become expired), objects no job row names are removed, and rows whose object is gone are
// dropped. Every deletion is audited. Runs daily and on demand; one at a time. Database work
// happens on the loop, storage listing and deletion on a pipeline worker.
#pragma once
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "jobs/job_actions.h"
#include "jobs/pipeline.h"
#include "model/justification.h"
#include "store/sweep_repo.h"

namespace tseeder::jobs {

struct SweepRequest {
  std::optional<auth::Principal> actor;  // none: the daily schedule
  auth::RequestMeta meta;
  auth::Justification why;
  bool dry_run = false;  // report what would go; delete nothing
};

class StorageSweeper {
 public:
  StorageSweeper(store::Db& db, const Clock& clock, storage::StorageBackend& storage, audit::AuditLog& audit,
                 JobActions& jobs, Pipeline& pipeline);
  // Starts a sweep and returns its id; `done` runs on the loop with its record once finished.
  // Error(conflict) while another runs.
  std::int64_t start(const SweepRequest& req, std::function<void(const store::SweepRow&)> done = {});
  bool running() const { return current_.has_value(); }
  std::optional<store::SweepRow> find(std::int64_t id) { return store::SweepRepo(db_).find(id); }
  std::vector<store::SweepRow> recent(int limit) { return store::SweepRepo(db_).recent(limit); }

 private:
  struct Run {
    store::SweepRow row;
    SweepRequest req;
    std::function<void(const store::SweepRow&)> done;
  };
  void note(const std::string& action, const std::string& target, Json detail);
  void classify(const std::vector<storage::StoredObject>& listed, const std::string& listing_error);
  void finish(const std::string& error);

  store::Db& db_;
  const Clock& clock_;
  storage::StorageBackend& storage_;
  audit::AuditLog& audit_;
  JobActions& jobs_;
  Pipeline& pipeline_;
  std::optional<Run> current_;
};

Json to_json(const store::SweepRow& row);

}  // namespace tseeder::jobs
