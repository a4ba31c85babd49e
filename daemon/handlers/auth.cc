// /auth: register, verify, log in and out, who am I, password change and reset.
#include "auth/account_service.h"
#include "auth/credentials.h"
#include "core/error.h"
#include "handlers/handlers.h"
#include "handlers/password_off_loop.h"

namespace tseeder::daemon::handlers {

namespace {

std::string session_cookie(const AuthApi& api, const std::string& value, std::int64_t max_age_s) {
  const bool secure = api.settings.secure_cookies;
  return std::string(auth::session_cookie_name(secure)) + "=" + value +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s) + (secure ? "; Secure" : "");
}

Json me_json(AuthApi& api, const auth::Principal& p) {
  Json j = auth::user_json(api.accounts.user(p.user));
  j["via"] = p.via == auth::Via::session ? "session" : p.via == auth::Via::api_key ? "api_key" : "unix_socket";
  return j;
}

}  // namespace

Reply auth_register(AuthApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"email", "password", "acceptedAup"});
  auth::Registration r{required_string(body, "email"), required_string(body, "password"),
                       optional_bool(body, "acceptedAup").value_or(false)};
  const auto pending = api.accounts.begin_register(r);
  return hash_off_loop(
      api.io, api.kdf, api.settings.kdf, pending.password, [&api, pending, meta = req.meta](std::string hash) {
        const auto done = api.accounts.finish_register(pending, hash, meta);
        // Whether the address had an account is not told: its owner got a mail instead.
        if (done.verification_required)
          return Reply::json(202, {{"verificationRequired", true},
                                   {"email", pending.email},
                                   {"sent", "a verification mail is on its way; open its link, then log in"}});
        return Reply::json(201, {{"user", auth::user_json(*done.user)}, {"verificationRequired", false}});
      });
}

Reply auth_verify(AuthApi& api, Request& req) {
  std::string token;
  if (req.raw->method() == http::verb::get) {
    token = req.query_param("token").value_or("");
  } else {
    auto body = parse_json_object(req.body());
    reject_unknown_fields(body, {"token"});
    token = required_string(body, "token");
  }
  api.accounts.verify_email(token, req.meta);
  return Reply::json(200, {{"verified", true}});
}

Reply auth_verify_resend(AuthApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"email"});
  api.accounts.resend_verification(required_string(body, "email"), req.meta);
  return Reply::json(202, {{"sent", "if the address has an unverified account, a new link is on its way"}});
}

Reply auth_login(AuthApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"email", "password"});
  const auto attempt =
      api.accounts.begin_login(required_string(body, "email"), required_string(body, "password"), req.meta);
  return off_loop<bool>(
      api.io, api.kdf, std::chrono::milliseconds(attempt.delay_ms),
      [attempt] { return auth::AccountService::check_password(attempt); },
      [&api, attempt, meta = req.meta](bool ok) {
        auto result = api.accounts.finish_login(attempt, ok, meta);
        Reply r = Reply::json(200, {{"user", auth::user_json(result.user)}, {"csrfToken", result.session.csrf_token}});
        r.headers.push_back({"Set-Cookie", session_cookie(api, result.session.token, result.session.max_age_s)});
        r.headers.push_back({"Cache-Control", "no-store"});
        return r;
      });
}

Reply auth_logout(AuthApi& api, Request& req) {
  const auto& p = req.who();
  if (p.via != auth::Via::session)
    throw Error(Errc::invalid_argument, "logout ends a browser session; this request has none",
                "revoke an API key with DELETE /auth/api-keys/ID (tseeder logout)");
  api.credentials.revoke_session(p.user, p.session_id, "logout");
  req.audit_target = "session:" + p.session_id;
  Reply r = Reply::json(200, {{"loggedOut", true}});
  r.headers.push_back({"Set-Cookie", session_cookie(api, "", 0)});
  return r;
}

Reply auth_me(AuthApi& api, Request& req) {
  Json j = {{"user", me_json(api, req.who())}};
  if (req.who().via == auth::Via::session) j["csrfToken"] = req.who().csrf_token;
  Reply r = Reply::json(200, j);
  r.headers.push_back({"Cache-Control", "no-store"});
  return r;
}

Reply auth_password(AuthApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"currentPassword", "password"});
  const auto change = api.accounts.begin_change_password(req.who(), required_string(body, "currentPassword"),
                                                         required_string(body, "password"));
  return off_loop<std::optional<std::string>>(
      api.io, api.kdf, {}, [change, kdf = api.settings.kdf] { return auth::AccountService::rehash(change, kdf); },
      [&api, change, meta = req.meta](std::optional<std::string> hash) {
        Json out = api.accounts.finish_change_password(change, hash, meta).to_json();
        out["changed"] = true;
        return Reply::json(200, out);
      });
}

Reply auth_reset_request(AuthApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"email"});
  api.accounts.request_reset(required_string(body, "email"), req.meta);
  return Reply::json(202, {{"sent", "if the address has an account, a reset token is on its way"}});
}

Reply auth_reset_confirm(AuthApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"token", "password"});
  const std::string password = required_string(body, "password");
  const auto token_hash = api.accounts.begin_reset(required_string(body, "token"), password);
  return hash_off_loop(api.io, api.kdf, api.settings.kdf, password,
                       [&api, token_hash, meta = req.meta](std::string hash) {
                         api.accounts.finish_reset(token_hash, hash, meta);
                         return Reply::json(200, {{"reset", true}});
                       });
}

}  // namespace tseeder::daemon::handlers
