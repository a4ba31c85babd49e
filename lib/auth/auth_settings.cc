#include "auth/auth_settings.h"

namespace tseeder::auth {

AuthSettings AuthSettings::from(const config::Config& c) {
  AuthSettings s;
  s.public_url = c.public_url();
  s.secure_cookies = s.public_url.starts_with("https://");
  s.open_registration = c.auth_open_registration;
  s.require_email_verification = c.auth_require_email_verification;
  s.session_idle_ms = c.auth_session_idle_timeout_s * 1000;
  s.session_absolute_ms = c.auth_session_absolute_timeout_s * 1000;
  s.lockout_failures = c.auth_lockout_failures;
  s.lockout_ms = c.auth_lockout_s * 1000;
  s.kdf.m_cost_kib = static_cast<std::uint32_t>(c.auth_kdf_memory_kib);
  s.kdf.t_cost = static_cast<std::uint32_t>(c.auth_kdf_passes);
  s.login_per_minute_account = c.limits_login_per_minute_account;
  s.reset_per_hour_account = c.limits_reset_per_hour_account;
  return s;
}

}  // namespace tseeder::auth
