#include "model/role.h"

namespace tseeder::auth {

std::string_view to_string(Role r) {
  switch (r) {
    case Role::user:
      return "user";
    case Role::support:
      return "support";
    case Role::admin:
      return "admin";
    case Role::superadmin:
      return "superadmin";
  }
  return "user";
}

std::optional<Role> parse_role(std::string_view text) {
  for (Role r : {Role::user, Role::support, Role::admin, Role::superadmin})
    if (to_string(r) == text) return r;
  return std::nullopt;
}

std::string_view to_string(Access a) {
  return a == Access::anyone ? "anyone" : to_string(static_cast<Role>(a));
}

}  // namespace tseeder::auth
