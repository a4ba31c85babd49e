#include "store/queue_repo.h"

namespace tseeder::store {

void QueueRepo::enqueue(const JobId& job, const std::string& key, std::int64_t available_at_ms, std::int64_t now_ms) {
  auto s = db_.prepare(
      "INSERT INTO queue_messages (job_id, idempotency_key, available_at, created_at) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (job_id) DO UPDATE SET available_at = excluded.available_at, "
      "leased_by = NULL, leased_until = NULL");
  s.bind(1, job.value).bind(2, key).bind(3, available_at_ms).bind(4, now_ms);
  s.run();
}

std::vector<QueueMessage> QueueRepo::lease_ready(const std::string& owner, std::int64_t now_ms,
                                                 std::int64_t lease_until_ms, int limit) {
  auto s = db_.prepare(
      "UPDATE queue_messages SET leased_by = ?1, leased_until = ?3 WHERE id IN ("
      " SELECT id FROM queue_messages WHERE (leased_by IS NULL OR leased_until < ?2)"
      " AND available_at <= ?2 ORDER BY available_at, id LIMIT ?4) "
      "RETURNING id, job_id, attempts, available_at");
  s.bind(1, owner).bind(2, now_ms).bind(3, lease_until_ms).bind(4, static_cast<std::int64_t>(limit));
  std::vector<QueueMessage> out;
  while (s.step()) out.push_back({s.int64(0), JobId{s.text(1)}, s.int64(2), s.int64(3)});
  return out;
}

void QueueRepo::release(const JobId& job, std::int64_t available_at_ms, bool count_attempt,
                        const std::optional<std::string>& error) {
  auto s = db_.prepare(
      "UPDATE queue_messages SET leased_by = NULL, leased_until = NULL, available_at = ?2, "
      "attempts = attempts + ?3, last_error = COALESCE(?4, last_error) WHERE job_id = ?1");
  s.bind(1, job.value).bind(2, available_at_ms).bind(3, static_cast<std::int64_t>(count_attempt ? 1 : 0));
  s.bind(4, error);
  s.run();
}

void QueueRepo::ack(const JobId& job) {
  auto s = db_.prepare("DELETE FROM queue_messages WHERE job_id = ?1");
  s.bind(1, job.value);
  s.run();
}

int QueueRepo::clear_leases(const std::string& owner) {
  auto s = db_.prepare("UPDATE queue_messages SET leased_by = NULL, leased_until = NULL WHERE leased_by = ?1");
  s.bind(1, owner);
  s.run();
  return db_.changes();
}

std::optional<QueueMessage> QueueRepo::find(const JobId& job) {
  auto s = db_.prepare("SELECT id, job_id, attempts, available_at FROM queue_messages WHERE job_id = ?1");
  s.bind(1, job.value);
  if (!s.step()) return std::nullopt;
  return QueueMessage{s.int64(0), JobId{s.text(1)}, s.int64(2), s.int64(3)};
}

std::int64_t QueueRepo::count() {
  auto s = db_.prepare("SELECT count(*) FROM queue_messages");
  s.step();
  return s.int64(0);
}

std::optional<std::int64_t> QueueRepo::next_ready_after(std::int64_t now_ms) {
  auto s = db_.prepare("SELECT min(available_at) FROM queue_messages WHERE leased_by IS NULL AND available_at > ?1");
  s.bind(1, now_ms);
  s.step();
  return s.opt_int64(0);
}

}  // namespace tseeder::store
