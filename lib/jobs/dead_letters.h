// The dead-letter list: jobs whose retryable failures used up every attempt. Staff list them and
// replay one (audited), which gives it a fresh set of attempts.
#pragma once
#include <optional>
#include <vector>

#include "audit/audit_log.h"
#include "jobs/job_actions.h"
#include "model/justification.h"
#include "store/dead_letter_repo.h"

namespace tseeder::jobs {

class DeadLetters {
 public:
  DeadLetters(store::Db& db, audit::AuditLog& audit, JobActions& jobs) : db_(db), audit_(audit), jobs_(jobs) {}
  std::vector<store::DeadLetter> list(int limit, const std::optional<store::Cursor>& after) {
    return store::DeadLetterRepo(db_).list(limit, after);
  }
  // Back to the queue under its owner's plan; Error(not_found) when the job is not listed.
  Job replay(const auth::Principal& actor, const JobId& id, const auth::Justification& why,
             const auth::RequestMeta& meta);

 private:
  store::Db& db_;
  audit::AuditLog& audit_;
  JobActions& jobs_;
};

Json to_json(const store::DeadLetter& d);

}  // namespace tseeder::jobs
