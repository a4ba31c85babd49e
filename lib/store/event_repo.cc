#include "store/event_repo.h"

#include "core/error.h"

namespace tseeder::store {

std::int64_t EventRepo::next_seq(const JobId& job) {
  auto up = db_.prepare("UPDATE jobs SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq");
  up.bind(1, job.value);
  if (!up.step()) throw Error(Errc::not_found, "job " + job.value + " not found");
  return up.int64(0);
}

std::int64_t EventRepo::append(const JobId& job, const std::string& type, const std::string& data,
                               std::int64_t now_ms) {
  std::int64_t seq = next_seq(job);
  add(job, seq, type, data, now_ms);
  return seq;
}

void EventRepo::add(const JobId& job, std::int64_t seq, const std::string& type, const std::string& data,
                    std::int64_t now_ms) {
  auto s = db_.prepare("INSERT INTO job_events (job_id, seq, type, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, job.value).bind(2, seq).bind(3, type).bind(4, data).bind(5, now_ms);
  s.run();
}

namespace {
// Rows of SELECT seq, type, data, created_at.
std::vector<StoredEvent> rows_of(Stmt& s) {
  std::vector<StoredEvent> out;
  while (s.step()) out.push_back({s.int64(0), s.text(1), s.text(2), s.int64(3)});
  return out;
}
}  // namespace

std::vector<StoredEvent> EventRepo::after(const JobId& job, std::int64_t seq, int limit) {
  auto s = db_.prepare(
      "SELECT seq, type, data, created_at FROM job_events WHERE job_id = ?1 AND seq > ?2 "
      "ORDER BY seq LIMIT ?3");
  s.bind(1, job.value).bind(2, seq).bind(3, static_cast<std::int64_t>(limit));
  return rows_of(s);
}

std::vector<StoredEvent> EventRepo::latest(const JobId& job, const std::string& type, int limit) {
  auto s = db_.prepare(
      "SELECT seq, type, data, created_at FROM job_events WHERE job_id = ?1 AND type = ?2 "
      "ORDER BY seq DESC LIMIT ?3");
  s.bind(1, job.value).bind(2, type).bind(3, static_cast<std::int64_t>(limit));
  return rows_of(s);
}

}  // namespace tseeder::store
