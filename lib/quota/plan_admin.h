// Staff edit what each plan allows. Every change is audited with the fields before and after, and
// each field changed goes into the config history.
#pragma once
#include <vector>

#include "audit/audit_log.h"
#include "audit/config_history.h"
#include "core/clock.h"
#include "core/json_util.h"
#include "model/justification.h"
#include "store/plan_repo.h"

namespace tseeder::quota {

class PlanAdmin {
 public:
  PlanAdmin(store::Db& db, audit::AuditLog& audit, audit::ConfigHistory& history)
      : db_(db), audit_(audit), history_(history) {}
  std::vector<quota::Plan> list() { return store::PlanRepo(db_).list(); }
  quota::Plan show(const std::string& id);
  // `change` holds the API's fields (name, maxActiveJobs, storageBytes, maxFileBytes,
  // bandwidthBytesPerMonth, retentionDays, maxSessions); null lifts a limit.
  // Needs a reason and a ticket: it changes the limits of every account on the plan.
  quota::Plan update(const auth::Principal& actor, const std::string& id, const Json& change,
                     const auth::Justification& why, const auth::RequestMeta& meta);

 private:
  store::Db& db_;
  audit::AuditLog& audit_;
  audit::ConfigHistory& history_;
};

}  // namespace tseeder::quota
