#include "store/audit_repo.h"

namespace tseeder::store {

std::int64_t AuditRepo::append(const AuditRow& r) {
  auto s = db_.prepare(
      "INSERT INTO audit_log (at, actor_id, actor_role, action, target, ip, request_id, detail) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  s.bind(1, r.at).bind(2, r.actor_id).bind(3, r.actor_role).bind(4, r.action).bind(5, r.target).bind(6, r.ip);
  s.bind(7, r.request_id).bind(8, r.detail);
  s.run();
  return db_.last_insert_id();
}

std::vector<AuditRow> AuditRepo::query(const AuditQuery& q) {
  // A trailing '.' asks for a family of actions: "auth." matches "auth.login".
  auto s = db_.prepare(
      "SELECT id, at, actor_id, actor_role, action, target, ip, request_id, detail FROM audit_log WHERE "
      "(?1 IS NULL OR actor_id = ?1) AND "
      "(?2 IS NULL OR action = ?2 OR (substr(?2, -1) = '.' AND substr(action, 1, length(?2)) = ?2)) AND "
      "(?3 IS NULL OR target = ?3) AND (?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < ?5) AND "
      "(?6 IS NULL OR id < ?6) ORDER BY id DESC LIMIT ?7");
  s.bind(1, q.actor_id).bind(2, q.action).bind(3, q.target).bind(4, q.since).bind(5, q.until).bind(6, q.before_id);
  s.bind(7, std::int64_t{q.limit});
  std::vector<AuditRow> out;
  while (s.step())
    out.push_back({s.int64(0), s.text(1), s.opt_text(2), s.opt_text(3), s.text(4), s.opt_text(5), s.opt_text(6),
                   s.opt_text(7), s.text(8)});
  return out;
}

}  // namespace tseeder::store
