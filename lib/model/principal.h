// Who is calling, once authenticated, and where the call came from.
#pragma once
#include <string>

#include "core/ids.h"
#include "model/role.h"

namespace tseeder::auth {

enum class Via { session, api_key, unix_peer };

struct Principal {
  UserId user;
  Role role = Role::user;
  std::string plan;
  Via via = Via::session;
  std::string session_id;  // via session
  std::string csrf_token;  // via session: what X-CSRF-Token must match
  std::string api_key_id;  // via api_key
};

// The request around a call, for audit entries and rate limits. Never holds credentials.
struct RequestMeta {
  std::string ip;
  std::string request_id;
  std::string user_agent;
};

}  // namespace tseeder::auth
