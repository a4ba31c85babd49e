// SQL for API keys. Only the SHA-256 of the secret part is stored.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "store/db.h"

namespace tseeder::store {

struct ApiKeyRow {
  std::string id;
  UserId user_id;
  std::string name;
  std::string prefix;
  std::string secret_hash;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> last_used_at_ms;
  std::optional<std::int64_t> expires_at_ms;
  std::optional<std::int64_t> revoked_at_ms;
};

class ApiKeyRepo {
 public:
  explicit ApiKeyRepo(Db& db) : db_(db) {}
  void insert(const ApiKeyRow& k);
  std::optional<ApiKeyRow> find_by_prefix(const std::string& prefix);
  std::vector<ApiKeyRow> list_for_user(const UserId& user);  // not revoked
  std::int64_t count_for_user(const UserId& user);           // not revoked
  bool revoke(const UserId& user, const std::string& id, std::int64_t now_ms);
  // Every live key of the user but `keep` (empty: none kept); returns how many.
  int revoke_all(const UserId& user, const std::string& keep, std::int64_t now_ms);
  void touch(const std::string& id, std::int64_t now_ms);

 private:
  Db& db_;
};

}  // namespace tseeder::store
