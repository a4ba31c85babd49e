// Sessions and API keys: issuing them, turning a presented secret into a Principal, listing
// and revoking them. Secrets leave only once, at creation; the store keeps SHA-256 digests.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/auth_settings.h"
#include "core/clock.h"
#include "core/json_util.h"
#include "model/principal.h"
#include "store/api_key_repo.h"
#include "store/email_token_repo.h"
#include "store/session_repo.h"
#include "store/user_repo.h"

namespace tseeder::auth {

// The session cookie's name. Behind https it is __Host- prefixed (Secure, Path=/, no Domain: a
// sibling host can neither plant nor read it); over plain http such a cookie would be dropped
// by browsers and cookie jars, so it goes without the prefix.
inline std::string_view session_cookie_name(bool secure) {
  return secure ? "__Host-tseeder_session" : "tseeder_session";
}
inline constexpr std::string_view kApiKeyPrefix = "tsk_";

struct NewSession {
  std::string token;  // the cookie value
  std::string csrf_token;
  std::string id;
  std::int64_t max_age_s = 0;
};

// What an account was signed in with that was just ended.
struct EndedCredentials {
  int sessions = 0;
  int api_keys = 0;
  int reset_tokens = 0;  // mailed password-reset tokens not used yet
  Json to_json() const;
};

// Which credential of the caller survives (the one a password change came through).
struct KeepCredential {
  std::string session_id;
  std::string api_key_id;
  bool all_api_keys = false;  // suspension: keys stay, refused while it lasts
};

struct NewApiKey {
  store::ApiKeyRow row;
  std::string key;  // "tsk_PREFIX_SECRET", shown once
};

class Credentials {
 public:
  Credentials(store::Db& db, const Clock& clock, audit::AuditLog& audit, const AuthSettings& settings);

  // Opens a session for a user who just proved who they are. Ends the oldest sessions past
  // the plan's concurrent-session limit.
  NewSession open_session(const auth::User& user, const RequestMeta& meta);
  // Throws Error(unauthenticated) for an unknown, revoked or expired session.
  Principal from_session_token(const std::string& token);
  Principal from_api_key(const std::string& key);
  // The account exists and is not suspended: what it handed out (download links) still works.
  bool in_good_standing(const UserId& id);
  // The principal of a known user (Unix socket peers, tests).
  Principal for_user(const auth::User& user, Via via);

  std::vector<store::SessionRow> sessions(const UserId& user);
  void revoke_session(const UserId& user, const std::string& id, const std::string& reason);
  int revoke_all_sessions(const UserId& user, const std::string& keep, const std::string& reason);
  // Sessions, API keys and unused reset tokens of the account all end, but `keep`.
  EndedCredentials end_all(const UserId& user, const KeepCredential& keep, const std::string& reason);

  NewApiKey create_api_key(const UserId& user, const std::string& name, std::optional<std::int64_t> ttl_days);
  std::vector<store::ApiKeyRow> api_keys(const UserId& user);
  void revoke_api_key(const UserId& user, const std::string& id);

 private:
  // Refuses a suspended account, for every way of presenting credentials.
  auth::User live_user(const UserId& id);
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  const AuthSettings& settings_;
  store::UserRepo users_;
  store::SessionRepo sessions_;
  store::ApiKeyRepo keys_;
  store::EmailTokenRepo tokens_;
};

Json session_json(const store::SessionRow& s, const std::string& current_id);
Json api_key_json(const store::ApiKeyRow& k);

}  // namespace tseeder::auth
