#include "store/plan_repo.h"

namespace tseeder::store {
namespace {

constexpr const char* kColumns =
    "p.id, p.name, p.max_active_jobs, p.storage_bytes, p.max_file_bytes, p.bandwidth_bytes_month, "
    "p.retention_days, p.max_sessions";

quota::Plan read_plan(const Stmt& s) {
  return {s.text(0),      s.text(1),      s.opt_int64(2), s.opt_int64(3),
          s.opt_int64(4), s.opt_int64(5), s.opt_int64(6), s.opt_int64(7)};
}

}  // namespace

std::vector<quota::Plan> PlanRepo::list() {
  // Cheapest first, unlimited last: the order they are sold in.
  auto s = db_.prepare(std::string("SELECT ") + kColumns +
                       " FROM plans p ORDER BY p.storage_bytes IS NULL, p.storage_bytes, p.id");
  std::vector<quota::Plan> out;
  while (s.step()) out.push_back(read_plan(s));
  return out;
}

std::optional<quota::Plan> PlanRepo::find(const std::string& id) {
  auto s = db_.prepare(std::string("SELECT ") + kColumns + " FROM plans p WHERE p.id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_plan(s);
}

std::optional<quota::Plan> PlanRepo::of_user(const UserId& user) {
  auto s =
      db_.prepare(std::string("SELECT ") + kColumns + " FROM users u JOIN plans p ON p.id = u.plan WHERE u.id = ?1");
  s.bind(1, user.value);
  if (!s.step()) return std::nullopt;
  return read_plan(s);
}

void PlanRepo::update(const quota::Plan& p) {
  auto s = db_.prepare(
      "UPDATE plans SET name = ?2, max_active_jobs = ?3, storage_bytes = ?4, max_file_bytes = ?5, "
      "bandwidth_bytes_month = ?6, retention_days = ?7, max_sessions = ?8 WHERE id = ?1");
  s.bind(1, p.id).bind(2, p.name).bind(3, p.max_active_jobs).bind(4, p.storage_bytes).bind(5, p.max_file_bytes);
  s.bind(6, p.bandwidth_bytes_month).bind(7, p.retention_days).bind(8, p.max_sessions);
  s.run();
}

void PlanRepo::assign(const UserId& user, const std::string& plan, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE users SET plan = ?2, plan_paid_until = NULL, updated_at = ?3 WHERE id = ?1");
  s.bind(1, user.value).bind(2, plan).bind(3, now_ms);
  s.run();
}

void PlanRepo::assign_paid(const UserId& user, const std::string& plan, std::int64_t paid_until_ms,
                           std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE users SET plan = ?2, plan_paid_until = ?3, updated_at = ?4 WHERE id = ?1");
  s.bind(1, user.value).bind(2, plan).bind(3, paid_until_ms).bind(4, now_ms);
  s.run();
}

std::vector<std::pair<UserId, std::string>> PlanRepo::lapsed(std::int64_t now_ms, int limit) {
  auto s = db_.prepare(
      "SELECT id, plan FROM users WHERE plan_paid_until IS NOT NULL AND plan_paid_until <= ?1 "
      "ORDER BY plan_paid_until LIMIT ?2");
  s.bind(1, now_ms).bind(2, std::int64_t{limit});
  std::vector<std::pair<UserId, std::string>> out;
  while (s.step()) out.emplace_back(UserId{s.text(0)}, s.text(1));
  return out;
}

bool PlanRepo::lapse(const UserId& user, std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE users SET plan = 'free', plan_paid_until = NULL, updated_at = ?2 "
      "WHERE id = ?1 AND plan_paid_until IS NOT NULL AND plan_paid_until <= ?2");
  s.bind(1, user.value).bind(2, now_ms);
  s.run();
  return db_.changes() == 1;
}

}  // namespace tseeder::store
