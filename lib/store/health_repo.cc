#include "store/health_repo.h"

namespace tseeder::store {

std::string HealthRepo::quick_check() {
  // One row, "ok", when all is well; the first row names the first problem otherwise.
  auto s = db_.prepare("PRAGMA quick_check(1)");
  return s.step() ? s.text(0) : std::string("no answer");
}

WaitingJobs HealthRepo::waiting() {
  auto s = db_.prepare("SELECT count(*), min(created_at) FROM jobs WHERE status IN ('submitted', 'queued')");
  s.step();
  return {s.int64(0), s.opt_int64(1)};
}

DeadLetterCounts HealthRepo::dead_letters(std::int64_t since_ms) {
  auto s = db_.prepare(
      "SELECT (SELECT count(*) FROM dead_letters), "
      "(SELECT count(*) FROM dead_letters WHERE dead_at > ?1)");
  s.bind(1, since_ms);
  s.step();
  return {s.int64(0), s.int64(1)};
}

std::vector<JobCount> HealthRepo::jobs_by_state() {
  auto s = db_.prepare("SELECT status, coalesce(engine, ''), count(*) FROM jobs GROUP BY status, engine");
  std::vector<JobCount> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.int64(2)});
  return out;
}

std::int64_t HealthRepo::active_sessions(std::int64_t now_ms) {
  auto s = db_.prepare("SELECT count(*) FROM sessions WHERE revoked_at IS NULL AND expires_at > ?1");
  s.bind(1, now_ms);
  s.step();
  return s.int64(0);
}

std::int64_t HealthRepo::stored_bytes() {
  auto s = db_.prepare("SELECT coalesce(sum(bytes), 0) FROM storage_usage");
  s.step();
  return s.int64(0);
}

Rates HealthRepo::running_rates() {
  auto s = db_.prepare(
      "SELECT coalesce(sum(download_bps), 0), coalesce(sum(upload_bps), 0) FROM jobs WHERE status = 'downloading'");
  s.step();
  return {s.int64(0), s.int64(1)};
}

}  // namespace tseeder::store
