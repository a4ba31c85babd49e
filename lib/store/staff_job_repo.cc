#include "store/staff_job_repo.h"

#include "store/job_rows.h"

namespace tseeder::store {

// The most selective filter leads: an owner's jobs by jobs_by_user_created, else a state's by
// jobs_by_status_created, else an engine's by jobs_by_engine_created, else jobs_by_created. The
// other filters narrow what that index gives. (No column of fleet_assignments shares a name with
// one of jobs, so the joined query selects kJobColumns as they are.)
namespace {

std::string sql_for(const std::string& head, const StaffJobQuery& q) {
  std::string sql = head + " FROM jobs";
  if (q.agent) sql += " JOIN fleet_assignments a ON a.job_id = jobs.id AND a.agent_id = ?4";
  std::string where;
  auto add = [&where](const char* cond) { where += (where.empty() ? " WHERE " : " AND ") + std::string(cond); };
  if (q.user) add("jobs.user_id = ?1");
  if (q.status) add(q.user ? "+jobs.status = ?2" : "jobs.status = ?2");
  if (q.engine) add(q.user || q.status ? "+jobs.engine = ?3" : "jobs.engine = ?3");
  if (q.created_before_ms) add("jobs.created_at < ?5");
  if (q.after) add("(jobs.created_at, jobs.id) < (?6, ?7)");
  return sql + where + " ORDER BY jobs.created_at DESC, jobs.id DESC LIMIT ?8";
}

void bind_query(Stmt& s, const StaffJobQuery& q) {
  if (q.user) s.bind(1, q.user->value);
  if (q.status) s.bind(2, std::string(jobs::to_string(*q.status)));
  if (q.engine) s.bind(3, *q.engine);
  if (q.agent) s.bind(4, *q.agent);
  if (q.created_before_ms) s.bind(5, *q.created_before_ms);
  if (q.after) s.bind(6, q.after->at).bind(7, q.after->key);
  s.bind(8, static_cast<std::int64_t>(q.limit));
}

}  // namespace

std::vector<jobs::Job> StaffJobRepo::list(const StaffJobQuery& q) {
  auto s = db_.prepare(sql_for(std::string("SELECT ") + kJobColumns, q));
  bind_query(s, q);
  return read_jobs(s);
}

}  // namespace tseeder::store
