// Password hashing (Argon2id) and the rules a new password must meet.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace tseeder::auth {

// OWASP's Argon2id floor: 19 MiB, 2 passes, 1 lane. Tests may pass cheaper ones.
struct KdfParams {
  std::uint32_t t_cost = 2;
  std::uint32_t m_cost_kib = 19 * 1024;
  std::uint32_t parallelism = 1;
};

// PHC string "$argon2id$v=19$m=…,t=…,p=…$salt$hash" with a fresh 16-byte salt.
std::string hash_password(std::string_view password, const KdfParams& params = {});
// Constant-time check of `password` against a stored PHC string; false for a malformed one.
bool verify_password(std::string_view encoded, std::string_view password);

// Throws Error(invalid_argument, field "password") unless 8–128 characters (code points) and
// not one of the shipped common passwords.
void check_new_password(std::string_view password);
bool is_common_password(std::string_view password);  // ignores ASCII case

}  // namespace tseeder::auth
