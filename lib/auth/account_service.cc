#include "auth/account_service.h"

#include "core/error.h"
#include "core/secrets.h"
#include "model/job.h"

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

Json user_json(const auth::User& u) {
  return Json{{"id", u.id.value},
              {"email", or_null(u.email)},
              {"role", to_string(u.role)},
              {"plan", u.plan},
              {"planPaidUntil", jobs::iso8601_or_null(u.plan_paid_until_ms)},
              {"emailVerified", u.email_verified},
              {"suspended", u.suspended_at_ms.has_value()},
              {"suspendedReason", or_null(u.suspended_reason)},
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
      throttle_(clock, {settings.lockout_failures, settings.lockout_ms, settings.login_per_minute_account,
                        settings.slow_login_ms}),
      // Made when first needed, by the KDF thread checking the first unknown email: a hash takes
      // a good part of a second of CPU that start-up should not spend.
      dummy_hash_(std::async(std::launch::deferred, [kdf = settings.kdf] {
                    return hash_password(random_token(), kdf);
                  }).share()) {}

auth::User AccountService::user(const UserId& id) {
  auto u = users_.find(id);
  if (!u) throw Error(Errc::not_found, "user " + id.value + " not found");
  return *u;
}

PendingRegistration AccountService::begin_register(const Registration& r) {
  if (!settings_.open_registration)
    throw Error(Errc::forbidden, "registration is closed on this server", "ask the operator for an account");
  PendingRegistration out{normalize_email(r.email), r.password};
  check_new_password(r.password);
  if (!r.accepted_aup)
    throw Error(Errc::invalid_argument, "acceptedAup must be true", "read and accept the acceptable use policy",
                "acceptedAup");
  if (settings_.require_email_verification && !mailer_.enabled())
    throw Error(Errc::unavailable, "registration needs mail to verify addresses and no mail server is configured",
                "the operator sets smtp.url, or auth.require_email_verification: false");
  // Every registration draws on the address's mail allowance, whether or not it has an account.
  if (settings_.require_email_verification) limit_account_mail(out.email);
  return out;
}

Registered AccountService::finish_register(const PendingRegistration& r, const std::string& password_hash,
                                           const RequestMeta& meta) {
  if (auto existing = users_.find_by_email(r.email)) {
    // With verification on, the address's owner hears of it and the caller learns nothing;
    // without it the new account would be usable at once, so there is nothing to hide behind.
    if (!settings_.require_email_verification)
      throw Error(Errc::conflict, "an account with this email exists", "log in, or reset its password", "email");
    mail_existing(*existing, meta);
    return {std::nullopt, true};
  }
  const auto now = clock_.now_ms();
  auth::User u;
  u.id = UserId{random_hex_id(8)};
  u.email = r.email;
  u.password_hash = password_hash;
  u.email_verified = !settings_.require_email_verification;
  u.aup_accepted_at_ms = now;
  u.created_at_ms = u.updated_at_ms = now;
  users_.insert(u);
  audit_.record(nullptr, meta, "user.register", "user:" + u.id.value, {{"email", r.email}});
  if (settings_.require_email_verification) mail_token(u, "verify", meta);
  return {u, settings_.require_email_verification};
}

void AccountService::mail_existing(const auth::User& u, const RequestMeta& meta) {
  net::Mail m;
  m.to = *u.email;
  m.subject = "Someone tried to register your address at tseeder";
  m.text =
      "Someone asked to create a tseeder account with this address, which has one already.\n\nIf it was "
      "you, log in at " +
      settings_.public_url + ", or reset your password from there. If not, ignore this mail: nothing changed.\n";
  mailer_.send(std::move(m));
  audit_.record(nullptr, meta, "user.register_existing", "user:" + u.id.value);
}

void AccountService::mail_token(const auth::User& u, const std::string& purpose, const RequestMeta& meta) {
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

LoginAttempt AccountService::begin_login(const std::string& email_in, const std::string& password,
                                         const RequestMeta& meta) {
  LoginAttempt a;
  a.email = normalize_email(email_in);
  if (password.empty() || password.size() > 1024) throw bad_credentials();
  // An address that kept failing is shut out of this account, known or not, in the same words.
  if (auto secs = throttle_.locked_out(a.email, meta.ip))
    throw Error(Errc::rate_limited, "too many failed logins for this account from your address",
                "try again in " + std::to_string((*secs + 59) / 60) + " minutes, or reset the password")
        .retry_after(*secs);
  a.user = users_.find_by_email(a.email);
  if (a.user && a.user->password_hash)
    a.password_hash = *a.user->password_hash;
  else
    a.dummy_hash = dummy_hash_;
  a.password = password;
  a.delay_ms = throttle_.delay_ms(a.email);
  return a;
}

bool AccountService::check_password(const LoginAttempt& a) {
  const bool known = !a.password_hash.empty();
  return verify_password(known ? a.password_hash : a.dummy_hash.get(), a.password) && known;
}

LoginResult AccountService::finish_login(const LoginAttempt& a, bool password_ok, const RequestMeta& meta) {
  // Read again: the account may have changed while its password was being checked.
  auto u = a.user ? users_.find(a.user->id) : std::nullopt;
  if (!password_ok || !u || u->password_hash != a.user->password_hash) {
    const auto failures = throttle_.failed(a.email, meta.ip);
    audit_.record(nullptr, meta, "auth.login_failed", u ? "user:" + u->id.value : "",
                  u ? Json{{"failures", failures}} : Json{{"email", a.email}, {"failures", failures}});
    if (failures == settings_.lockout_failures)
      audit_.record(nullptr, meta, "auth.lockout", u ? "user:" + u->id.value : "",
                    {{"email", a.email}, {"address", meta.ip}, {"lockedForSeconds", settings_.lockout_ms / 1000}});
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
  throttle_.succeeded(a.email, meta.ip);
  LoginResult out{*u, credentials_.open_session(*u, meta)};
  Principal p = credentials_.for_user(*u, Via::session);
  p.session_id = out.session.id;
  audit_.record(&p, meta, "auth.login", "session:" + out.session.id);
  return out;
}

PasswordChange AccountService::begin_change_password(const Principal& who, const std::string& current,
                                                     const std::string& next) {
  auto u = user(who.user);
  if (!u.password_hash)
    throw Error(Errc::conflict, "this account has no password", "the local operator logs in through the socket");
  if (current.size() > 1024) throw Error(Errc::invalid_argument, "currentPassword is wrong", {}, "currentPassword");
  check_new_password(next);
  return {who, *u.password_hash, current, next};
}

std::optional<std::string> AccountService::rehash(const PasswordChange& c, const KdfParams& kdf) {
  if (!verify_password(c.stored_hash, c.current)) return std::nullopt;
  return hash_password(c.next, kdf);
}

EndedCredentials AccountService::finish_change_password(const PasswordChange& c,
                                                        const std::optional<std::string>& new_hash,
                                                        const RequestMeta& meta) {
  if (!new_hash) throw Error(Errc::invalid_argument, "currentPassword is wrong", {}, "currentPassword");
  auto u = user(c.who.user);
  if (u.password_hash != c.stored_hash)
    throw Error(Errc::conflict, "the password changed meanwhile", "log in again with the new one");
  store::Transaction tx(db_);
  users_.set_password(u.id, *new_hash, clock_.now_ms());
  // Whatever else is signed in may be someone who learnt the old password; the credential the
  // change came through stays, so the caller is not logged out by their own change.
  const auto ended = credentials_.end_all(u.id, {c.who.session_id, c.who.api_key_id, false}, "password changed");
  audit_.record(&c.who, meta, "user.password_change", "user:" + u.id.value, ended.to_json());
  tx.commit();
  return ended;
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

std::string AccountService::begin_reset(const std::string& token, const std::string& password) {
  auto hash = require_token_shape(token, "reset");
  check_new_password(password);
  return hash;
}

void AccountService::finish_reset(const std::string& token_hash, const std::string& password_hash,
                                  const RequestMeta& meta) {
  store::Transaction tx(db_);
  auto user = tokens_.consume(token_hash, "reset", clock_.now_ms());
  if (!user) throw bad_token("reset");
  users_.set_password(*user, password_hash, clock_.now_ms());
  // Reaching the mailbox proves the address too.
  users_.set_verified(*user, clock_.now_ms());
  // Whoever forgot or lost the password cannot vouch for anything signed in with it.
  const auto ended = credentials_.end_all(*user, {}, "password reset");
  audit_.record(nullptr, meta, "user.password_reset", "user:" + user->value, ended.to_json());
  tx.commit();
}

}  // namespace tseeder::auth
