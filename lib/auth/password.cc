#include "auth/password.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <algorithm>
#include <vector>

#include "core/error.h"

namespace tseeder::auth {

namespace detail {
std::string_view common_passwords_text();  // generated from common_passwords.txt
}

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kMinChars = 8;
constexpr std::size_t kMaxChars = 128;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::vector<std::string>& common_list() {
  static const std::vector<std::string> list = [] {
    std::vector<std::string> out;
    std::string_view text = detail::common_passwords_text();
    while (!text.empty()) {
      auto nl = text.find('\n');
      auto line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (!line.empty() && !line.starts_with("#!")) out.push_back(lower_ascii(line));
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return list;
}

// Characters as the user counts them: UTF-8 continuation bytes do not start one.
std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::string hash_password(std::string_view password, const KdfParams& p) {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) throw Error(Errc::internal, "random number generator failed");
  std::string encoded(argon2_encodedlen(p.t_cost, p.m_cost_kib, p.parallelism, kSaltBytes, kHashBytes, Argon2_id),
                      '\0');
  int rc = argon2id_hash_encoded(p.t_cost, p.m_cost_kib, p.parallelism, password.data(), password.size(), salt,
                                 sizeof salt, kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) throw Error(Errc::internal, std::string("password hashing failed: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(std::string_view encoded, std::string_view password) {
  if (!encoded.starts_with("$argon2id$")) return false;
  const std::string enc(encoded);  // argon2 wants a NUL-terminated string
  return argon2id_verify(enc.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool is_common_password(std::string_view password) {
  const auto& list = common_list();
  return std::binary_search(list.begin(), list.end(), lower_ascii(password));
}

void check_new_password(std::string_view password) {
  auto n = code_points(password);
  if (n < kMinChars || n > kMaxChars)
    throw Error(Errc::invalid_argument,
                "password must be 8 to 128 characters long (this one has " + std::to_string(n) + ")", {}, "password");
  if (password.find('\0') != std::string_view::npos)
    throw Error(Errc::invalid_argument, "password must not contain NUL characters", {}, "password");
  if (is_common_password(password))
    throw Error(Errc::invalid_argument, "password is one of the most common passwords",
                "choose a longer passphrase that is not a well-known password", "password");
}

}  // namespace tseeder::auth
