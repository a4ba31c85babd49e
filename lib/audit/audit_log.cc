#include "audit/audit_log.h"

#include <ctime>

namespace tseeder::audit {

std::string AuditLog::now_iso() const {
  auto ms = clock_.now_ms();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

void AuditLog::record(const auth::Principal* actor, const auth::RequestMeta& meta, const std::string& action,
                      const std::string& target, const Json& detail) {
  store::AuditRow row;
  row.at = now_iso();
  if (actor) {
    row.actor_id = actor->user.value;
    row.actor_role = std::string(auth::to_string(actor->role));
  }
  row.action = action;
  if (!target.empty()) row.target = target;
  if (!meta.ip.empty()) row.ip = meta.ip;
  if (!meta.request_id.empty()) row.request_id = meta.request_id;
  row.detail = dump_json(detail);
  repo_.append(row);
}

void AuditLog::record_system(const std::string& action, const std::string& target, const Json& detail) {
  store::AuditRow row;
  row.at = now_iso();
  row.actor_id = "system";
  row.action = action;
  if (!target.empty()) row.target = target;
  row.detail = dump_json(detail);
  repo_.append(row);
}

Json to_json(const store::AuditRow& r) {
  return Json{{"id", r.id},
              {"at", r.at},
              {"actorId", or_null(r.actor_id)},
              {"actorRole", or_null(r.actor_role)},
              {"action", r.action},
              {"target", or_null(r.target)},
              {"ip", or_null(r.ip)},
              {"requestId", or_null(r.request_id)},
              {"detail", Json::parse(r.detail, nullptr, false)}};
}

}  // namespace tseeder::audit
