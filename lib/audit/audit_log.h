// The audit trail: who did what to which thing, from where, in which request, when (UTC).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json_util.h"
#include "model/principal.h"
#include "store/audit_repo.h"

namespace tseeder::audit {

class AuditLog {
 public:
  AuditLog(store::Db& db, const Clock& clock) : repo_(db), clock_(clock) {}

  // `actor` null: anonymous (a failed login, a registration). `detail` must never hold secrets.
  void record(const auth::Principal* actor, const auth::RequestMeta& meta, const std::string& action,
              const std::string& target, const Json& detail = Json::object());
  // The same for work the daemon does on its own (sweepers, lockouts found later).
  void record_system(const std::string& action, const std::string& target, const Json& detail = Json::object());

  std::vector<store::AuditRow> query(const store::AuditQuery& q) { return repo_.query(q); }

 private:
  std::string now_iso() const;
  store::AuditRepo repo_;
  const Clock& clock_;
};

Json to_json(const store::AuditRow& row);

}  // namespace tseeder::audit
