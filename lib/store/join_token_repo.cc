#include "store/join_token_repo.h"

namespace tseeder::store {
namespace {
constexpr const char* kSelect =
    "SELECT id, secret_hash, note, created_by, created_at, expires_at, used_at, used_by_agent "
    "FROM fleet_join_tokens ";

JoinToken read_token(const Stmt& s) {
  return {s.text(0), s.text(1), s.opt_text(2), s.opt_text(3), s.int64(4), s.int64(5), s.opt_int64(6), s.opt_text(7)};
}
}  // namespace

void JoinTokenRepo::insert(const JoinToken& t) {
  auto s = db_.prepare(
      "INSERT INTO fleet_join_tokens (id, secret_hash, note, created_by, created_at, expires_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  s.bind(1, t.id).bind(2, t.secret_hash).bind(3, t.note).bind(4, t.created_by);
  s.bind(5, t.created_at_ms).bind(6, t.expires_at_ms);
  s.run();
}

std::optional<JoinToken> JoinTokenRepo::find(const std::string& id) {
  auto s = db_.prepare(std::string(kSelect) + "WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_token(s);
}

bool JoinTokenRepo::spend(const std::string& id, const std::string& agent, std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE fleet_join_tokens SET used_at = ?3, used_by_agent = ?2 "
      "WHERE id = ?1 AND used_at IS NULL AND expires_at > ?3");
  s.bind(1, id).bind(2, agent).bind(3, now_ms);
  s.run();
  return db_.changes() > 0;
}

std::vector<JoinToken> JoinTokenRepo::recent(int limit) {
  auto s = db_.prepare(std::string(kSelect) + "ORDER BY created_at DESC, id LIMIT ?1");
  s.bind(1, static_cast<std::int64_t>(limit));
  std::vector<JoinToken> out;
  while (s.step()) out.push_back(read_token(s));
  return out;
}

}  // namespace tseeder::store
