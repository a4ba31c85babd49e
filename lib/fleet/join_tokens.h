// Join tokens: staff make one for each new agent. A token is "tsj_<id>_<secret>", valid for 24 h
// and one registration; only the secret's hash is kept. At most 5 are made per minute, so a
// leaked staff session cannot mint them in bulk. Every creation is audited.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/rate_limiter.h"
#include "store/join_token_repo.h"

namespace tseeder::fleet {

inline constexpr std::int64_t kJoinTokenTtlMs = 24LL * 3600 * 1000;
inline constexpr std::int64_t kJoinTokensPerMinute = 5;

struct NewJoinToken {
  std::string token;  // shown once
  store::JoinToken record;
};

class JoinTokens {
 public:
  JoinTokens(store::Db& db, const Clock& clock, audit::AuditLog& audit, auth::RateLimiter& limiter)
      : db_(db), clock_(clock), audit_(audit), limiter_(limiter) {}
  NewJoinToken create(const auth::Principal& actor, const std::optional<std::string>& note,
                      const auth::RequestMeta& meta);
  std::vector<store::JoinToken> recent(int limit) { return store::JoinTokenRepo(db_).recent(limit); }
  // Spends `token` for `agent`; Error(unauthenticated) when it is malformed, unknown, used or
  // expired (one message for all, so a caller learns nothing about which).
  store::JoinToken redeem(const std::string& token, const std::string& agent);

 private:
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  auth::RateLimiter& limiter_;
};

Json to_json(const store::JoinToken& t);

}  // namespace tseeder::fleet
