#include "auth/account_service.h"

#include "auth/secrets.h"
#include "core/error.h"

namespace tseeder::auth {

namespace {

Error bad_credentials() {
  return Error(Errc::unauthenticated, "email or password is wrong", "check both, or reset the password");
}

Error bad_token(const char* what) {
  return Error(Errc::invalid_argument, std::string(what) + " token is not valid or has expired", "ask for a new one",
               "token");
}

std::string require_token_shape(const std::string& token, const char* what) {
  if (token.empty() || token.size() > 100) throw bad_token(what);
  return sha256_hex(token);
}

}  // namespace

std::string normalize_email(std::string_view in) {
  while (!in.empty() && (in.front() == ' ' || in.front() == '\t')) in.remove_prefix(1);
  while (!in.empty() && (in.back() == ' ' || in.back() == '\t')) in.remove_suffix(1);
  std::string e(in);
  for (char& c : e)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  auto at = e.find('@');
  bool ok = !e.empty() && e.size() <= 254 && at != std::string::npos && at > 0 && at <= 64 &&
            e.find('@', at + 1) == std::string::npos && e.find('.', at + 2) != std::string::npos && e.back() != '.';
  for (unsigned char c : e)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '\\') ok = false;
  if (!ok) throw Error(Errc::invalid_argument, "email is not an email address", "e.g. you@example.com", "email");
  return e;
}

Json user_json(const store::User& u) {
  return Json{{"id", u.id.value},
              {"email", or_null(u.email)},
              {"role", to_string(u.role)},
              {"plan", u.plan},
              {"emailVerified", u.email_verified},
              {"suspended", u.suspended_at_ms.has_value()},
              {"suspendedReason", or_null(u.suspended_reason)},
              {"lockedUntil", or_null(u.locked_until_ms)},
              {"createdAt", u.created_at_ms}};
}

AccountService::AccountService(store::Db& db, const Clock& clock, audit::AuditLog& audit, Credentials& credentials,
                               RateLimiter& limiter, net::Mailer& mailer, const AuthSettings& settings)
    : db_(db),
      clock_(clock),
      audit_(audit),
      credentials_(credentials),
      limiter_(limiter),
      mailer_(mailer),
      settings_(settings),
      users_(db),
      tokens_(db),
      dummy_hash_(hash_password(random_token(), settings.kdf)) {}

store::User AccountService::user(const UserId& id) {
  auto u = users_.find(id);
  if (!u) throw Error(Errc::not_found, "user " + id.value + " not found");
  return *u;
}

store::User AccountService::register_account(const Registration& r, const RequestMeta& meta) {
  if (!settings_.open_registration)
    throw Error(Errc::forbidden, "registration is closed on this server", "ask the operator for an account");
  const std::string email = normalize_email(r.email);
  check_new_password(r.password);
  if (!r.accepted_aup)
    throw Error(Errc::invalid_argument, "acceptedAup must be true", "read and accept the acceptable use policy",
                "acceptedAup");
  if (settings_.require_email_verification && !mailer_.enabled())
    throw Error(Errc::unavailable, "registration needs mail to verify addresses and no mail server is configured",
                "the operator sets smtp.url, or auth.require_email_verification: false");
  if (users_.find_by_email(email))
    throw Error(Errc::conflict, "an account with this email exists", "log in, or reset its password", "email");
  const auto now = clock_.now_ms();
  store::User u;
  u.id = UserId{random_hex_id(8)};
  u.email = email;
  u.password_hash = hash_password(r.password, settings_.kdf);
  u.email_verified = !settings_.require_email_verification;
  u.aup_accepted_at_ms = now;
  u.created_at_ms = u.updated_at_ms = now;
  users_.insert(u);
  audit_.record(nullptr, meta, "user.register", "user:" + u.id.value, {{"email", email}});
  if (settings_.require_email_verification) mail_token(u, "verify", meta);
  return u;
}

void AccountService::mail_token(const store::User& u, const std::string& purpose, const RequestMeta& meta) {
  const auto now = clock_.now_ms();
  const std::string token = random_token();
  {
    store::Transaction tx(db_);
    tokens_.expire_all(u.id, purpose, now);
    tokens_.insert(sha256_hex(token), u.id, purpose, now,
                   now + (purpose == "verify" ? kVerifyTokenTtlMs : kResetTokenTtlMs));
    tx.commit();
  }
  net::Mail m;
  m.to = *u.email;
  if (purpose == "verify") {
    m.subject = "Verify your tseeder account";
    m.text = "Welcome to tseeder.\n\nConfirm this address by opening:\n\n  " + settings_.public_url +
             "/auth/verify?token=" + token +
             "\n\nThe link works once and for 24 hours. If you did not register, ignore this mail.\n";
  } else {
    m.subject = "Reset your tseeder password";
    m.text =
        "Someone asked to reset the password of this account.\n\nTo choose a new one, send this token with it "
        "to " +
        settings_.public_url + "/auth/reset-confirm:\n\n  " + token +
        "\n\nThe token works once and for 1 hour. If it was not you, ignore this mail: the password stays as "
        "it is.\n";
  }
  mailer_.send(std::move(m));
  audit_.record(nullptr, meta, purpose == "verify" ? "user.verify_mail_sent" : "user.reset_mail_sent",
                "user:" + u.id.value);
}

void AccountService::verify_email(const std::string& token, const RequestMeta& meta) {
  auto hash = require_token_shape(token, "verification");
  store::Transaction tx(db_);
  auto user = tokens_.consume(hash, "verify", clock_.now_ms());
  if (!user) throw bad_token("verification");
  users_.set_verified(*user, clock_.now_ms());
  audit_.record(nullptr, meta, "user.verify", "user:" + user->value);
  tx.commit();
}

void AccountService::limit_account_mail(const std::string& email) {
  if (auto wait = limiter_.take("mail:account:" + email, settings_.reset_per_hour_account, 3600))
    throw Error(Errc::rate_limited, "too many mails asked for this account", "try again later").retry_after(*wait);
}

void AccountService::resend_verification(const std::string& email_in, const RequestMeta& meta) {
  const std::string email = normalize_email(email_in);
  limit_account_mail(email);
  auto u = users_.find_by_email(email);
  if (u && !u->email_verified && mailer_.enabled()) mail_token(*u, "verify", meta);
}

LoginResult AccountService::login(const std::string& email_in, const std::string& password, const RequestMeta& meta) {
  const std::string email = normalize_email(email_in);
  if (password.empty() || password.size() > 1024) throw bad_credentials();
  if (auto wait = limiter_.take("login:account:" + email, settings_.login_per_minute_account, 60))
    throw Error(Errc::rate_limited, "too many login attempts for this account", "wait and try again")
        .retry_after(*wait);
  auto u = users_.find_by_email(email);
  const auto now = clock_.now_ms();
  if (u && u->locked_until_ms && *u->locked_until_ms > now) {
    auto secs = (*u->locked_until_ms - now + 999) / 1000;
    audit_.record(nullptr, meta, "auth.login_refused", "user:" + u->id.value, {{"reason", "locked"}});
    throw Error(Errc::rate_limited, "account is locked after too many failed logins",
                "try again in " + std::to_string((secs + 59) / 60) + " minutes, or reset the password")
        .retry_after(secs);
  }
  const bool ok = u && u->password_hash ? verify_password(*u->password_hash, password)
                                        : (verify_password(dummy_hash_, password), false);
  if (!ok) {
    if (u) {
      store::Transaction tx(db_);
      auto failures = users_.add_failed_login(u->id, now);
      audit_.record(nullptr, meta, "auth.login_failed", "user:" + u->id.value, {{"failures", failures}});
      if (failures >= settings_.lockout_failures) {
        users_.lock(u->id, now + settings_.lockout_ms, now);
        audit_.record(nullptr, meta, "auth.lockout", "user:" + u->id.value,
                      {{"failures", failures}, {"lockedForSeconds", settings_.lockout_ms / 1000}});
      }
      tx.commit();
    } else {
      audit_.record(nullptr, meta, "auth.login_failed", "", {{"email", email}});
    }
    throw bad_credentials();
  }
  if (u->suspended_at_ms) {
    audit_.record(nullptr, meta, "auth.login_refused", "user:" + u->id.value, {{"reason", "suspended"}});
    throw Error(Errc::forbidden, "account suspended", "contact the operator");
  }
  if (!u->email_verified) {
    audit_.record(nullptr, meta, "auth.login_refused", "user:" + u->id.value, {{"reason", "email not verified"}});
    throw Error(Errc::forbidden, "email address not verified yet",
                "open the link in the verification mail, or ask for a new one with POST /auth/verify-resend");
  }
  users_.clear_failed_logins(u->id, now);
  LoginResult out{*u, credentials_.open_session(*u, meta)};
  Principal p = credentials_.for_user(*u, Via::session);
  p.session_id = out.session.id;
  audit_.record(&p, meta, "auth.login", "session:" + out.session.id);
  return out;
}

void AccountService::change_password(const Principal& who, const std::string& current, const std::string& next,
                                     const RequestMeta& meta) {
  auto u = user(who.user);
  if (!u.password_hash)
    throw Error(Errc::conflict, "this account has no password", "the local operator logs in through the socket");
  if (current.size() > 1024 || !verify_password(*u.password_hash, current))
    throw Error(Errc::invalid_argument, "currentPassword is wrong", {}, "currentPassword");
  check_new_password(next);
  store::Transaction tx(db_);
  users_.set_password(u.id, hash_password(next, settings_.kdf), clock_.now_ms());
  // Other sessions may be someone who learnt the old password.
  int ended = credentials_.revoke_all_sessions(u.id, who.session_id, "password changed");
  audit_.record(&who, meta, "user.password_change", "user:" + u.id.value, {{"sessionsEnded", ended}});
  tx.commit();
}

void AccountService::request_reset(const std::string& email_in, const RequestMeta& meta) {
  const std::string email = normalize_email(email_in);
  limit_account_mail(email);
  if (!mailer_.enabled())
    throw Error(Errc::unavailable, "password reset needs mail and no mail server is configured",
                "ask the operator to set smtp.url");
  auto u = users_.find_by_email(email);
  if (u && u->password_hash && !u->suspended_at_ms) mail_token(*u, "reset", meta);
}

void AccountService::confirm_reset(const std::string& token, const std::string& password, const RequestMeta& meta) {
  auto hash = require_token_shape(token, "reset");
  check_new_password(password);
  const std::string new_hash = hash_password(password, settings_.kdf);
  store::Transaction tx(db_);
  auto user = tokens_.consume(hash, "reset", clock_.now_ms());
  if (!user) throw bad_token("reset");
  users_.set_password(*user, new_hash, clock_.now_ms());
  // Reaching the mailbox proves the address too.
  users_.set_verified(*user, clock_.now_ms());
  int ended = credentials_.revoke_all_sessions(*user, "", "password reset");
  audit_.record(nullptr, meta, "user.password_reset", "user:" + user->value, {{"sessionsEnded", ended}});
  tx.commit();
}

}  // namespace tseeder::auth
