// An account as stored and as staff see it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"
#include "model/role.h"

namespace tseeder::auth {

struct User {
  UserId id;
  std::optional<std::string> email;
  std::optional<std::string> password_hash;
  Role role = Role::user;
  std::string plan = "free";
  std::optional<std::int64_t> plan_paid_until_ms;  // a bought period's end; nullopt: kept until staff change it
  bool email_verified = false;
  std::optional<std::int64_t> aup_accepted_at_ms;
  std::optional<std::int64_t> suspended_at_ms;
  std::optional<std::string> suspended_reason;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

}  // namespace tseeder::auth
