#include "store/usage_repo.h"

#include "store/job_repo.h"

namespace tseeder::store {
namespace {
// What counts against a plan's job limit, for SQL.
const std::string kActive = "(" + sql_state_list(jobs::kActiveStates) + ")";

std::int64_t single(Stmt& s) {
  return s.step() && !s.is_null(0) ? s.int64(0) : 0;
}
}  // namespace

std::int64_t UsageRepo::active_jobs(const UserId& user) {
  auto s = db_.prepare(std::string("SELECT count(*) FROM jobs WHERE user_id = ?1 AND status IN ") + kActive);
  s.bind(1, user.value);
  return single(s);
}

std::int64_t UsageRepo::stored_bytes(const UserId& user) {
  auto s = db_.prepare("SELECT bytes FROM storage_usage WHERE user_id = ?1");  // migration 0013
  s.bind(1, user.value);
  return single(s);
}

namespace {
// What job `j` still has to fetch: its wanted files less what it has (0 while the list is unknown).
constexpr const char* kStillToFetch =
    "max(0, (SELECT coalesce(sum(c.size_bytes), 0) FROM job_contents c WHERE c.job_id = j.id AND c.priority > 0"
    " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.job_id = j.id AND f.path = c.path)) - j.bytes_done)";
}  // namespace

std::int64_t UsageRepo::still_to_fetch(const JobId& job) {
  auto s = db_.prepare(std::string("SELECT ") + kStillToFetch + " FROM jobs j WHERE j.id = ?1");
  s.bind(1, job.value);
  return single(s);
}

std::int64_t UsageRepo::still_coming(const JobId& except) {
  auto s = db_.prepare(std::string("SELECT sum(") + kStillToFetch +
                       ") FROM jobs j WHERE j.status = 'downloading' AND j.follows IS NULL AND j.id != ?1");
  s.bind(1, except.value);
  return single(s);
}

std::int64_t UsageRepo::incoming_bytes(const UserId& user, const JobId& except) {
  auto s = db_.prepare(std::string("SELECT sum(c.size_bytes) FROM job_contents c JOIN jobs j ON j.id = c.job_id "
                                   "WHERE j.user_id = ?1 AND j.id != ?2 AND c.priority > 0 AND j.status IN ") +
                       kActive + " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.job_id = j.id AND f.path = c.path)");
  s.bind(1, user.value).bind(2, except.value);
  return single(s);
}

std::int64_t UsageRepo::bandwidth(const UserId& user, const std::string& month) {
  auto s = db_.prepare("SELECT bytes FROM bandwidth_usage WHERE user_id = ?1 AND month = ?2");
  s.bind(1, user.value).bind(2, month);
  return single(s);
}

void UsageRepo::add_bandwidth(const UserId& user, const std::string& month, std::int64_t bytes) {
  auto s = db_.prepare(
      "INSERT INTO bandwidth_usage (user_id, month, bytes) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (user_id, month) DO UPDATE SET bytes = bytes + excluded.bytes");
  s.bind(1, user.value).bind(2, month).bind(3, bytes);
  s.run();
}

}  // namespace tseeder::store
