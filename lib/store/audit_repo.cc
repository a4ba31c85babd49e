#include "store/audit_repo.h"

#include <limits>

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
  // Only the filters asked for are in the statement, so an actor, a target or one action is
  // searched in its index (newest first from `before_id`); a family of actions ("auth." matches
  // "auth.login") and times filter the entries walked newest first.
  std::string where = " WHERE id < ?6";
  if (q.actor_id) where += " AND actor_id = ?1";
  const bool family = q.action && q.action->ends_with('.');
  if (q.action) where += family ? " AND substr(action, 1, length(?2)) = ?2" : " AND action = ?2";
  if (q.target) where += " AND target = ?3";
  if (q.since) where += " AND at >= ?4";
  if (q.until) where += " AND at < ?5";
  auto s = db_.prepare("SELECT id, at, actor_id, actor_role, action, target, ip, request_id, detail FROM audit_log" +
                       where + " ORDER BY id DESC LIMIT ?7");
  if (q.actor_id) s.bind(1, *q.actor_id);
  if (q.action) s.bind(2, *q.action);
  if (q.target) s.bind(3, *q.target);
  if (q.since) s.bind(4, *q.since);
  if (q.until) s.bind(5, *q.until);
  s.bind(6, q.before_id.value_or(std::numeric_limits<std::int64_t>::max()));
  s.bind(7, std::int64_t{q.limit});
  std::vector<AuditRow> out;
  while (s.step())
    out.push_back({s.int64(0), s.text(1), s.opt_text(2), s.opt_text(3), s.text(4), s.opt_text(5), s.opt_text(6),
                   s.opt_text(7), s.text(8)});
  return out;
}

}  // namespace tseeder::store
