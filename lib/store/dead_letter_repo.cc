#include "store/dead_letter_repo.h"

#include <limits>

namespace tseeder::store {
namespace {
constexpr const char* kSelect =
    "SELECT d.job_id, j.user_id, j.source_kind, j.name, j.engine, d.attempts, d.last_error, d.dead_at "
    "FROM dead_letters d JOIN jobs j ON j.id = d.job_id ";

DeadLetter read_entry(const Stmt& s) {
  return {JobId{s.text(0)}, UserId{s.text(1)}, s.text(2), s.opt_text(3),
          s.opt_text(4),    s.int64(5),        s.text(6), s.int64(7)};
}
}  // namespace

void DeadLetterRepo::add(const JobId& job, std::int64_t attempts, const std::string& last_error, std::int64_t now_ms) {
  auto s = db_.prepare(
      "INSERT INTO dead_letters (job_id, attempts, last_error, dead_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (job_id) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error, "
      "dead_at = excluded.dead_at");
  s.bind(1, job.value).bind(2, attempts).bind(3, last_error).bind(4, now_ms);
  s.run();
}

bool DeadLetterRepo::remove(const JobId& job) {
  auto s = db_.prepare("DELETE FROM dead_letters WHERE job_id = ?1");
  s.bind(1, job.value);
  s.run();
  return db_.changes() > 0;
}

std::optional<DeadLetter> DeadLetterRepo::find(const JobId& job) {
  auto s = db_.prepare(std::string(kSelect) + "WHERE d.job_id = ?1");
  s.bind(1, job.value);
  if (!s.step()) return std::nullopt;
  return read_entry(s);
}

std::vector<DeadLetter> DeadLetterRepo::list(int limit, const std::optional<Cursor>& after) {
  auto s = db_.prepare(std::string(kSelect) +
                       "WHERE (d.dead_at, d.job_id) < (?1, ?2) ORDER BY d.dead_at DESC, d.job_id DESC LIMIT ?3");
  const Cursor from = after.value_or(Cursor{std::numeric_limits<std::int64_t>::max(), ""});
  s.bind(1, from.at).bind(2, from.key).bind(3, static_cast<std::int64_t>(limit));
  std::vector<DeadLetter> out;
  while (s.step()) out.push_back(read_entry(s));
  return out;
}

}  // namespace tseeder::store
