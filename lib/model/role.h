// Roles, in rising order of power, and what a route requires of its caller.
#pragma once
#include <optional>
#include <string_view>

namespace tseeder::auth {

enum class Role { user = 1, support = 2, admin = 3, superadmin = 4 };

std::string_view to_string(Role r);
std::optional<Role> parse_role(std::string_view text);

// What a route asks: `anyone` also admits anonymous callers.
enum class Access { anyone = 0, user = 1, support = 2, admin = 3, superadmin = 4 };

std::string_view to_string(Access a);
inline bool role_allows(Role have, Access need) {
  return static_cast<int>(have) >= static_cast<int>(need);
}

}  // namespace tseeder::auth
