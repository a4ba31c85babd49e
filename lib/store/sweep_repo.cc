#include "store/sweep_repo.h"

namespace tseeder::store {
namespace {
constexpr const char* kSelect =
    "SELECT id, started_at, finished_at, trigger, actor_id, reason, ticket_id, dry_run, expired_jobs, "
    "orphan_objects, orphan_rows, bytes_freed, error FROM storage_sweeps ";

SweepRow read_row(const Stmt& s) {
  SweepRow r;
  r.id = s.int64(0);
  r.started_at_ms = s.int64(1);
  r.finished_at_ms = s.opt_int64(2);
  r.trigger = s.text(3);
  r.actor_id = s.opt_text(4);
  r.reason = s.opt_text(5);
  r.ticket_id = s.opt_text(6);
  r.dry_run = s.int64(7) != 0;
  r.expired_jobs = s.int64(8);
  r.orphan_objects = s.int64(9);
  r.orphan_rows = s.int64(10);
  r.bytes_freed = s.int64(11);
  r.error = s.opt_text(12);
  return r;
}
}  // namespace

std::int64_t SweepRepo::insert(const SweepRow& r) {
  auto s = db_.prepare(
      "INSERT INTO storage_sweeps (started_at, trigger, actor_id, reason, ticket_id, dry_run) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  s.bind(1, r.started_at_ms).bind(2, r.trigger).bind(3, r.actor_id).bind(4, r.reason).bind(5, r.ticket_id);
  s.bind(6, std::int64_t{r.dry_run});
  s.run();
  return db_.last_insert_id();
}

void SweepRepo::finish(const SweepRow& r) {
  auto s = db_.prepare(
      "UPDATE storage_sweeps SET finished_at = ?2, expired_jobs = ?3, orphan_objects = ?4, orphan_rows = ?5, "
      "bytes_freed = ?6, error = ?7 WHERE id = ?1");
  s.bind(1, r.id).bind(2, r.finished_at_ms).bind(3, r.expired_jobs).bind(4, r.orphan_objects);
  s.bind(5, r.orphan_rows).bind(6, r.bytes_freed).bind(7, r.error);
  s.run();
}

std::optional<SweepRow> SweepRepo::find(std::int64_t id) {
  auto s = db_.prepare(std::string(kSelect) + "WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

std::vector<SweepRow> SweepRepo::recent(int limit) {
  auto s = db_.prepare(std::string(kSelect) + "ORDER BY id DESC LIMIT ?1");
  s.bind(1, std::int64_t{limit});
  std::vector<SweepRow> out;
  while (s.step()) out.push_back(read_row(s));
  return out;
}

int SweepRepo::mark_interrupted(std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE storage_sweeps SET finished_at = ?1, error = 'interrupted by a daemon stop' WHERE finished_at IS NULL");
  s.bind(1, now_ms);
  s.run();
  return db_.changes();
}

}  // namespace tseeder::store
