// Why a destructive staff action is taken, and under which ticket; every such action takes one.
#pragma once
#include <string>

namespace tseeder::auth {

struct Justification {
  std::string reason;     // 10 to 2000 characters
  std::string ticket_id;  // 1 to 100 characters
};

// Throws Error(invalid_argument) naming the field that is short or missing; with `required`
// false, an empty justification passes.
void check_justification(const Justification& j, bool required);
// A staff reason on its own: 10 to 2000 characters.
void check_reason(const std::string& reason);

}  // namespace tseeder::auth
