// Staff's view of every user's jobs: list them across users and terminate one with a reason and a
// ticket (audited; its owner reads the reason in the job's timeline).
#pragma once
#include <vector>

#include "audit/audit_log.h"
#include "jobs/job_actions.h"
#include "model/justification.h"
#include "store/staff_job_repo.h"

namespace tseeder::jobs {

class StaffJobs {
 public:
  StaffJobs(store::Db& db, audit::AuditLog& audit, JobActions& jobs) : db_(db), audit_(audit), jobs_(jobs) {}
  std::vector<Job> list(const store::StaffJobQuery& q) { return store::StaffJobRepo(db_).list(q); }
  // Error(not_found) for an unknown id.
  Job get(const JobId& id);
  // Ends an unfinished job wherever it runs (local engine, agent, remote provider) as cancelled;
  // Error(invalid_argument) without a reason of 10+ characters and a ticket, Error(conflict) for a
  // finished job. Nothing changes on an error.
  Job terminate(const auth::Principal& actor, const JobId& id, const auth::Justification& why,
                const auth::RequestMeta& meta);

 private:
  store::Db& db_;
  audit::AuditLog& audit_;
  JobActions& jobs_;
};

}  // namespace tseeder::jobs
