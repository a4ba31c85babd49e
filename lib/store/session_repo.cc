#include "store/session_repo.h"

namespace tseeder::store {

namespace {

constexpr const char* kColumns =
    "id, user_id, token_hash, csrf_token, coalesce(ip, ''), coalesce(user_agent, ''), created_at, last_seen_at, "
    "expires_at, revoked_at";

SessionRow read_session(const Stmt& s) {
  return SessionRow{s.text(0), UserId{s.text(1)}, s.text(2),  s.text(3),  s.text(4),
                    s.text(5), s.int64(6),        s.int64(7), s.int64(8), s.opt_int64(9)};
}

}  // namespace

void SessionRepo::insert(const SessionRow& r) {
  auto s = db_.prepare(
      "INSERT INTO sessions (id, user_id, token_hash, csrf_token, ip, user_agent, created_at, last_seen_at, "
      "expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  s.bind(1, r.id).bind(2, r.user_id.value).bind(3, r.token_hash).bind(4, r.csrf_token).bind(5, r.ip);
  s.bind(6, r.user_agent).bind(7, r.created_at_ms).bind(8, r.last_seen_at_ms).bind(9, r.expires_at_ms);
  s.run();
}

std::optional<SessionRow> SessionRepo::find_by_token_hash(const std::string& token_hash) {
  auto s = db_.prepare(std::string("SELECT ") + kColumns + " FROM sessions WHERE token_hash = ?1");
  s.bind(1, token_hash);
  if (!s.step()) return std::nullopt;
  return read_session(s);
}

std::vector<SessionRow> SessionRepo::live_for_user(const UserId& user, std::int64_t now_ms, std::int64_t idle_ms) {
  auto s = db_.prepare(std::string("SELECT ") + kColumns +
                       " FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2"
                       " AND last_seen_at + ?3 > ?2 ORDER BY last_seen_at, created_at");
  s.bind(1, user.value).bind(2, now_ms).bind(3, idle_ms);
  std::vector<SessionRow> out;
  while (s.step()) out.push_back(read_session(s));
  return out;
}

void SessionRepo::touch(const std::string& id, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1");
  s.bind(1, id).bind(2, now_ms);
  s.run();
}

bool SessionRepo::revoke(const UserId& user, const std::string& id, const std::string& reason, std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE sessions SET revoked_at = ?3, revoked_reason = ?4 WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL");
  s.bind(1, id).bind(2, user.value).bind(3, now_ms).bind(4, reason);
  s.run();
  return db_.changes() > 0;
}

int SessionRepo::revoke_all(const UserId& user, const std::string& keep, const std::string& reason,
                            std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE sessions SET revoked_at = ?3, revoked_reason = ?4 WHERE user_id = ?1 AND id != ?2 "
      "AND revoked_at IS NULL");
  s.bind(1, user.value).bind(2, keep).bind(3, now_ms).bind(4, reason);
  s.run();
  return db_.changes();
}

}  // namespace tseeder::store
