// What a person does with their own account: register, verify the address, log in and out,
// change or reset the password. Mails go through the Mailer; tokens are single use.
#pragma once
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/auth_settings.h"
#include "auth/credentials.h"
#include "auth/rate_limiter.h"
#include "net/smtp_mailer.h"
#include "store/email_token_repo.h"
#include "store/user_repo.h"

namespace tseeder::auth {

struct Registration {
  std::string email;
  std::string password;
  bool accepted_aup = false;
};

struct LoginResult {
  store::User user;
  NewSession session;
};

class AccountService {
 public:
  AccountService(store::Db& db, const Clock& clock, audit::AuditLog& audit, Credentials& credentials,
                 RateLimiter& limiter, net::Mailer& mailer, const AuthSettings& settings);

  // Creates an unverified account (verified at once when verification is off) and mails the
  // verification link.
  store::User register_account(const Registration& r, const RequestMeta& meta);
  void verify_email(const std::string& token, const RequestMeta& meta);
  // Answers the same whether or not the address has an account (no account discovery).
  void resend_verification(const std::string& email, const RequestMeta& meta);
  LoginResult login(const std::string& email, const std::string& password, const RequestMeta& meta);
  void change_password(const Principal& who, const std::string& current, const std::string& next,
                       const RequestMeta& meta);
  void request_reset(const std::string& email, const RequestMeta& meta);
  void confirm_reset(const std::string& token, const std::string& password, const RequestMeta& meta);

  store::User user(const UserId& id);

 private:
  void mail_token(const store::User& u, const std::string& purpose, const RequestMeta& meta);
  void limit_account_mail(const std::string& email);
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  Credentials& credentials_;
  RateLimiter& limiter_;
  net::Mailer& mailer_;
  const AuthSettings& settings_;
  store::UserRepo users_;
  store::EmailTokenRepo tokens_;
  std::string dummy_hash_;  // verified against when the email is unknown, to equalise timing
};

// Lower-cased, trimmed and checked for shape; throws Error(invalid_argument, field "email").
std::string normalize_email(std::string_view email);
Json user_json(const store::User& u);

}  // namespace tseeder::auth
