#include "store/api_key_repo.h"

namespace tseeder::store {

namespace {

constexpr const char* kColumns =
    "id, user_id, name, prefix, secret_hash, created_at, last_used_at, expires_at, revoked_at";

ApiKeyRow read_key(const Stmt& s) {
  return ApiKeyRow{s.text(0),  UserId{s.text(1)}, s.text(2),      s.text(3),     s.text(4),
                   s.int64(5), s.opt_int64(6),    s.opt_int64(7), s.opt_int64(8)};
}

}  // namespace

void ApiKeyRepo::insert(const ApiKeyRow& k) {
  auto s = db_.prepare(
      "INSERT INTO api_keys (id, user_id, name, prefix, secret_hash, created_at, expires_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  s.bind(1, k.id).bind(2, k.user_id.value).bind(3, k.name).bind(4, k.prefix).bind(5, k.secret_hash);
  s.bind(6, k.created_at_ms).bind(7, k.expires_at_ms);
  s.run();
}

std::optional<ApiKeyRow> ApiKeyRepo::find_by_prefix(const std::string& prefix) {
  auto s = db_.prepare(std::string("SELECT ") + kColumns + " FROM api_keys WHERE prefix = ?1");
  s.bind(1, prefix);
  if (!s.step()) return std::nullopt;
  return read_key(s);
}

std::vector<ApiKeyRow> ApiKeyRepo::list_for_user(const UserId& user) {
  auto s = db_.prepare(std::string("SELECT ") + kColumns +
                       " FROM api_keys WHERE user_id = ?1 AND revoked_at IS NULL ORDER BY created_at, id");
  s.bind(1, user.value);
  std::vector<ApiKeyRow> out;
  while (s.step()) out.push_back(read_key(s));
  return out;
}

std::int64_t ApiKeyRepo::count_for_user(const UserId& user) {
  auto s = db_.prepare("SELECT count(*) FROM api_keys WHERE user_id = ?1 AND revoked_at IS NULL");
  s.bind(1, user.value);
  s.step();
  return s.int64(0);
}

bool ApiKeyRepo::revoke(const UserId& user, const std::string& id, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE api_keys SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL");
  s.bind(1, id).bind(2, user.value).bind(3, now_ms);
  s.run();
  return db_.changes() > 0;
}

int ApiKeyRepo::revoke_all(const UserId& user, const std::string& keep, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE api_keys SET revoked_at = ?3 WHERE user_id = ?1 AND id != ?2 AND revoked_at IS NULL");
  s.bind(1, user.value).bind(2, keep).bind(3, now_ms);
  s.run();
  return db_.changes();
}

void ApiKeyRepo::touch(const std::string& id, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1");
  s.bind(1, id).bind(2, now_ms);
  s.run();
}

}  // namespace tseeder::store
