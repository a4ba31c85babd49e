#include "store/user_repo.h"

#include "core/error.h"

namespace tseeder::store {

namespace {

constexpr const char* kColumns =
    "id, email, password_hash, role, plan, email_verified, aup_accepted_at, suspended_at, suspended_reason, "
    "created_at, updated_at, plan_paid_until";

auth::User read_user(const Stmt& s) {
  auth::User u;
  u.id = UserId{s.text(0)};
  u.email = s.opt_text(1);
  u.password_hash = s.opt_text(2);
  u.role = auth::parse_role(s.text(3)).value_or(auth::Role::user);
  u.plan = s.text(4);
  u.email_verified = s.int64(5) != 0;
  u.aup_accepted_at_ms = s.opt_int64(6);
  u.suspended_at_ms = s.opt_int64(7);
  u.suspended_reason = s.opt_text(8);
  u.created_at_ms = s.int64(9);
  u.updated_at_ms = s.int64(10);
  u.plan_paid_until_ms = s.opt_int64(11);
  return u;
}

}  // namespace

void UserRepo::insert(const auth::User& u) {
  auto s = db_.prepare(std::string("INSERT INTO users (") + kColumns +
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  s.bind(1, u.id.value).bind(2, u.email).bind(3, u.password_hash).bind(4, std::string(auth::to_string(u.role)));
  s.bind(5, u.plan).bind(6, std::int64_t{u.email_verified}).bind(7, u.aup_accepted_at_ms).bind(8, u.suspended_at_ms);
  s.bind(9, u.suspended_reason).bind(10, u.created_at_ms).bind(11, u.updated_at_ms);
  s.run();
}

std::optional<auth::User> UserRepo::find(const UserId& id) {
  auto s = db_.prepare(std::string("SELECT ") + kColumns + " FROM users WHERE id = ?1");
  s.bind(1, id.value);
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

std::optional<auth::User> UserRepo::find_by_email(const std::string& email) {
  auto s = db_.prepare(std::string("SELECT ") + kColumns + " FROM users WHERE email = ?1");
  s.bind(1, email);
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

std::vector<auth::User> UserRepo::with_email_prefix(const std::string& prefix, int limit, const std::string& after) {
  // Past every address that starts so: the prefix and the largest UTF-8 character.
  auto s = db_.prepare(std::string("SELECT ") + kColumns +
                       " FROM users WHERE email >= ?1 AND email < ?2 AND email > ?3 ORDER BY email LIMIT ?4");
  s.bind(1, prefix).bind(2, prefix + "\xf4\x8f\xbf\xbf").bind(3, after).bind(4, std::int64_t{limit});
  std::vector<auth::User> out;
  while (s.step()) out.push_back(read_user(s));
  return out;
}

std::vector<auth::User> UserRepo::list(const UserListQuery& q) {
  // From the cursor on along users_by_created (users_by_role with a role); a search by part of
  // the address filters the accounts walked, so a rare match walks further.
  std::string where = " FROM users WHERE email IS NOT NULL AND (created_at, id) > (?5, ?6)";
  if (!q.email_contains.empty()) where += " AND instr(lower(email), lower(?1)) > 0";
  if (q.role) where += " AND role = ?2";
  auto s = db_.prepare(std::string("SELECT ") + kColumns + where + " ORDER BY created_at, id LIMIT ?3 OFFSET ?4");
  if (!q.email_contains.empty()) s.bind(1, q.email_contains);
  if (q.role) s.bind(2, std::string(auth::to_string(*q.role)));
  s.bind(3, std::int64_t{q.limit}).bind(4, std::int64_t{q.offset});
  const Cursor from = q.after.value_or(Cursor{-1, ""});
  s.bind(5, from.at).bind(6, from.key);
  std::vector<auth::User> out;
  while (s.step()) out.push_back(read_user(s));
  return out;
}

std::int64_t UserRepo::count_role(auth::Role role) {
  auto s = db_.prepare("SELECT count(*) FROM users WHERE role = ?1 AND email IS NOT NULL");
  s.bind(1, std::string(auth::to_string(role)));
  s.step();
  return s.int64(0);
}

void UserRepo::set_password(const UserId& id, const std::string& hash, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1");
  s.bind(1, id.value).bind(2, hash).bind(3, now_ms);
  s.run();
}

void UserRepo::set_verified(const UserId& id, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE users SET email_verified = 1, updated_at = ?2 WHERE id = ?1");
  s.bind(1, id.value).bind(2, now_ms);
  s.run();
}

void UserRepo::set_role(const UserId& id, auth::Role role, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1");
  s.bind(1, id.value).bind(2, std::string(auth::to_string(role))).bind(3, now_ms);
  s.run();
}

void UserRepo::set_suspended(const UserId& id, std::optional<std::int64_t> at_ms,
                             const std::optional<std::string>& reason, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE users SET suspended_at = ?2, suspended_reason = ?3, updated_at = ?4 WHERE id = ?1");
  s.bind(1, id.value).bind(2, at_ms).bind(3, reason).bind(4, now_ms);
  s.run();
}

bool UserRepo::remove_without_jobs(const UserId& id) {
  {
    auto jobs = db_.prepare("SELECT 1 FROM jobs WHERE user_id = ?1 LIMIT 1");
    jobs.bind(1, id.value);
    if (jobs.step()) return false;
  }
  for (const char* sql : {"DELETE FROM bandwidth_usage WHERE user_id = ?1",
                          "DELETE FROM storage_usage WHERE user_id = ?1", "DELETE FROM users WHERE id = ?1"}) {
    auto s = db_.prepare(sql);
    s.bind(1, id.value);
    s.run();
  }
  return true;
}

}  // namespace tseeder::store
