// SQL for single-use emailed tokens (address verification, password reset).
#pragma once
#include <optional>
#include <string>

#include "core/ids.h"
#include "store/db.h"

namespace tseeder::store {

class EmailTokenRepo {
 public:
  explicit EmailTokenRepo(Db& db) : db_(db) {}
  void insert(const std::string& token_hash, const UserId& user, const std::string& purpose, std::int64_t now_ms,
              std::int64_t expires_at_ms);
  // Marks the token used and returns its user when it exists, has this purpose, is unused and
  // not expired; otherwise nullopt and nothing changes.
  std::optional<UserId> consume(const std::string& token_hash, const std::string& purpose, std::int64_t now_ms);
  // Ends every unused token of this purpose for the user (a new one supersedes them).
  int expire_all(const UserId& user, const std::string& purpose, std::int64_t now_ms);  // how many

 private:
  Db& db_;
};

}  // namespace tseeder::store
