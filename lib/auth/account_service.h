// What a person does with their own account: register, verify the address, log in and out,
// change or reset the password. Mails go through the Mailer; tokens are single use.
#pragma once
#include <future>
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/auth_settings.h"
#include "auth/credentials.h"
#include "auth/login_throttle.h"
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
  auth::User user;
  NewSession session;
};

// Steps that hash or check a password run in three parts: begin (on the event loop: checks
// that need the store), the KDF (any thread: Argon2id takes tens of milliseconds), finish (on
// the loop again). So the loop never waits on a password.
struct PendingRegistration {
  std::string email;  // normalized
  std::string password;
};

struct Registered {
  std::optional<auth::User> user;  // none when the address had an account (its owner was told)
  bool verification_required = false;
};

struct LoginAttempt {
  std::string email;
  std::optional<auth::User> user;              // none: no such account, checked against a dummy hash alike
  std::string password_hash;                   // empty: no such account (or no password)
  std::shared_future<std::string> dummy_hash;  // checked instead then, to equalise timing
  std::string password;
  std::int64_t delay_ms = 0;  // the account fails from many addresses: wait this before checking
};

struct PasswordChange {
  Principal who;
  std::string stored_hash;
  std::string current;
  std::string next;
};

class AccountService {
 public:
  AccountService(store::Db& db, const Clock& clock, audit::AuditLog& audit, Credentials& credentials,
                 RateLimiter& limiter, net::Mailer& mailer, const AuthSettings& settings);

  // Checks a registration; then hash its password and finish: an unverified account (verified at
  // once when verification is off) and the verification mail. An address that has an account
  // gets a mail saying so instead, and the answer is the same (with verification off: conflict).
  PendingRegistration begin_register(const Registration& r);
  Registered finish_register(const PendingRegistration& r, const std::string& password_hash, const RequestMeta& meta);
  void verify_email(const std::string& token, const RequestMeta& meta);
  // Answers the same whether or not the address has an account (no account discovery).
  void resend_verification(const std::string& email, const RequestMeta& meta);
  // Refused at once when this address is locked out of the account; unknown accounts alike.
  LoginAttempt begin_login(const std::string& email, const std::string& password, const RequestMeta& meta);
  static bool check_password(const LoginAttempt& a);  // the KDF part
  LoginResult finish_login(const LoginAttempt& a, bool password_ok, const RequestMeta& meta);

  PasswordChange begin_change_password(const Principal& who, const std::string& current, const std::string& next);
  // The KDF part: the new hash, or nullopt when `current` is wrong.
  static std::optional<std::string> rehash(const PasswordChange& c, const KdfParams& kdf);
  // Ends every other session and API key of the account (not the one the change came through)
  // and its unused reset tokens; says how many.
  EndedCredentials finish_change_password(const PasswordChange& c, const std::optional<std::string>& new_hash,
                                          const RequestMeta& meta);

  void request_reset(const std::string& email, const RequestMeta& meta);
  // Checks the token's shape and the new password; returns the token's hash for finish_reset.
  std::string begin_reset(const std::string& token, const std::string& password);
  void finish_reset(const std::string& token_hash, const std::string& password_hash, const RequestMeta& meta);

  auth::User user(const UserId& id);

 private:
  void mail_token(const auth::User& u, const std::string& purpose, const RequestMeta& meta);
  void mail_existing(const auth::User& u, const RequestMeta& meta);
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
  LoginThrottle throttle_;
  std::shared_future<std::string> dummy_hash_;  // checked when the email is unknown, to equalise timing
};

// Lower-cased, trimmed and checked for shape; throws Error(invalid_argument, field "email").
std::string normalize_email(std::string_view email);
Json user_json(const auth::User& u);

}  // namespace tseeder::auth
