#include "store/email_token_repo.h"

namespace tseeder::store {

void EmailTokenRepo::insert(const std::string& token_hash, const UserId& user, const std::string& purpose,
                            std::int64_t now_ms, std::int64_t expires_at_ms) {
  auto s = db_.prepare(
      "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, token_hash).bind(2, user.value).bind(3, purpose).bind(4, now_ms).bind(5, expires_at_ms);
  s.run();
}

std::optional<UserId> EmailTokenRepo::consume(const std::string& token_hash, const std::string& purpose,
                                              std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE email_tokens SET used_at = ?3 WHERE token_hash = ?1 AND purpose = ?2 AND used_at IS NULL "
      "AND expires_at > ?3 RETURNING user_id");
  s.bind(1, token_hash).bind(2, purpose).bind(3, now_ms);
  if (!s.step()) return std::nullopt;
  UserId user{s.text(0)};
  while (s.step()) {
  }
  return user;
}

int EmailTokenRepo::expire_all(const UserId& user, const std::string& purpose, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE email_tokens SET used_at = ?3 WHERE user_id = ?1 AND purpose = ?2 AND used_at IS NULL");
  s.bind(1, user.value).bind(2, purpose).bind(3, now_ms);
  s.run();
  return db_.changes();
}

}  // namespace tseeder::store
