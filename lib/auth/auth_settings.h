// The account rules of one daemon, taken from its config.
#pragma once
#include <cstdint>
#include <string>

#include "auth/password.h"
#include "config/config.h"

namespace tseeder::auth {

struct AuthSettings {
  std::string public_url;       // for links in mails
  bool secure_cookies = false;  // public_url is https: cookies are Secure and __Host- named
  bool open_registration = true;
  bool require_email_verification = true;
  std::int64_t session_idle_ms = 0;
  std::int64_t session_absolute_ms = 0;
  std::int64_t lockout_failures = 10;
  std::int64_t lockout_ms = 0;
  KdfParams kdf;
  std::int64_t login_per_minute_account = 0;  // failures on an account before attempts wait slow_login_ms
  std::int64_t slow_login_ms = 2000;
  std::int64_t reset_per_hour_account = 0;

  static AuthSettings from(const config::Config& cfg);
};

inline constexpr std::int64_t kVerifyTokenTtlMs = 24LL * 3600 * 1000;
inline constexpr std::int64_t kResetTokenTtlMs = 3600LL * 1000;

}  // namespace tseeder::auth
