// SQL for fleet_join_tokens: one-time tokens an agent registers with.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace tseeder::store {

struct JoinToken {
  std::string id;
  std::string secret_hash;  // SHA-256 hex of the secret; the secret itself is never stored
  std::optional<std::string> note;
  std::optional<std::string> created_by;
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::optional<std::int64_t> used_at_ms;
  std::optional<std::string> used_by_agent;
};

class JoinTokenRepo {
 public:
  explicit JoinTokenRepo(Db& db) : db_(db) {}
  void insert(const JoinToken& t);
  std::optional<JoinToken> find(const std::string& id);
  // Spends an unused, unexpired token; false when it was used or expired meanwhile.
  bool spend(const std::string& id, const std::string& agent, std::int64_t now_ms);
  std::vector<JoinToken> recent(int limit);

 private:
  Db& db_;
};

}  // namespace tseeder::store
