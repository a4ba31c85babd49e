// SQL for login sessions. The cookie value itself is never stored, only its SHA-256.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "store/db.h"

namespace tseeder::store {

struct SessionRow {
  std::string id;
  UserId user_id;
  std::string token_hash;
  std::string csrf_token;
  std::string ip;
  std::string user_agent;
  std::int64_t created_at_ms = 0;
  std::int64_t last_seen_at_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::optional<std::int64_t> revoked_at_ms;
};

class SessionRepo {
 public:
  explicit SessionRepo(Db& db) : db_(db) {}
  void insert(const SessionRow& s);
  std::optional<SessionRow> find_by_token_hash(const std::string& token_hash);
  // Sessions not revoked whose absolute expiry and idle limit are both still ahead, oldest use first.
  std::vector<SessionRow> live_for_user(const UserId& user, std::int64_t now_ms, std::int64_t idle_ms);
  void touch(const std::string& id, std::int64_t now_ms);
  // Returns false when there was no such live session of this user.
  bool revoke(const UserId& user, const std::string& id, const std::string& reason, std::int64_t now_ms);
  // Revokes every session of the user except `keep` (may be empty); returns how many.
  int revoke_all(const UserId& user, const std::string& keep, const std::string& reason, std::int64_t now_ms);

 private:
  Db& db_;
};

}  // namespace tseeder::store
