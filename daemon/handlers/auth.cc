// /auth: register, verify, log in and out, who am I, password change and reset.
#include "auth/account_service.h"
#include "auth/credentials.h"
#include "core/error.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

namespace {

std::string session_cookie(const std::string& value, std::int64_t max_age_s, bool secure) {
  // __Host-: no Domain, Path=/ — the cookie cannot be planted by or leak to a sibling host.
  return std::string(auth::kSessionCookie) + "=" + value +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s) + (secure ? "; Secure" : "");
}

bool secure_cookies(const App& app) {
  return app.cfg.public_url().starts_with("https://");
}

Json me_json(App& app, const auth::Principal& p) {
  Json j = auth::user_json(app.accounts->user(p.user));
  j["via"] = p.via == auth::Via::session ? "session" : p.via == auth::Via::api_key ? "api_key" : "unix_socket";
  return j;
}

}  // namespace

Reply auth_register(App& app, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"email", "password", "acceptedAup"});
  auth::Registration r{required_string(body, "email"), required_string(body, "password"),
                       optional_bool(body, "acceptedAup").value_or(false)};
  auto user = app.accounts->register_account(r, req.meta);
  Json out = {{"user", auth::user_json(user)}, {"verificationRequired", !user.email_verified}};
  return Reply::json(201, out);
}

Reply auth_verify(App& app, Request& req) {
  std::string token;
  if (req.raw->method() == http::verb::get) {
    token = req.query_param("token").value_or("");
  } else {
    auto body = parse_json_object(req.body());
    reject_unknown_fields(body, {"token"});
    token = required_string(body, "token");
  }
  app.accounts->verify_email(token, req.meta);
  return Reply::json(200, {{"verified", true}});
}

Reply auth_verify_resend(App& app, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"email"});
  app.accounts->resend_verification(required_string(body, "email"), req.meta);
  return Reply::json(202, {{"sent", "if the address has an unverified account, a new link is on its way"}});
}

Reply auth_login(App& app, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"email", "password"});
  auto result = app.accounts->login(required_string(body, "email"), required_string(body, "password"), req.meta);
  Reply r = Reply::json(200, {{"user", auth::user_json(result.user)}, {"csrfToken", result.session.csrf_token}});
  r.headers.push_back(
      {"Set-Cookie", session_cookie(result.session.token, result.session.max_age_s, secure_cookies(app))});
  r.headers.push_back({"Cache-Control", "no-store"});
  return r;
}

Reply auth_logout(App& app, Request& req) {
  const auto& p = req.who();
  if (p.via != auth::Via::session)
    throw Error(Errc::invalid_argument, "logout ends a browser session; this request has none",
                "revoke an API key with DELETE /auth/api-keys/ID (tseeder logout)");
  app.credentials->revoke_session(p.user, p.session_id, "logout");
  req.audit_target = "session:" + p.session_id;
  Reply r = Reply::json(200, {{"loggedOut", true}});
  r.headers.push_back({"Set-Cookie", session_cookie("", 0, secure_cookies(app))});
  return r;
}

Reply auth_me(App& app, Request& req) {
  Json j = {{"user", me_json(app, req.who())}};
  if (req.who().via == auth::Via::session) j["csrfToken"] = req.who().csrf_token;
  Reply r = Reply::json(200, j);
  r.headers.push_back({"Cache-Control", "no-store"});
  return r;
}

Reply auth_password(App& app, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"currentPassword", "password"});
  app.accounts->change_password(req.who(), required_string(body, "currentPassword"), required_string(body, "password"),
                                req.meta);
  return Reply::json(200, {{"changed", true}});
}

Reply auth_reset_request(App& app, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"email"});
  app.accounts->request_reset(required_string(body, "email"), req.meta);
  return Reply::json(202, {{"sent", "if the address has an account, a reset token is on its way"}});
}

Reply auth_reset_confirm(App& app, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"token", "password"});
  app.accounts->confirm_reset(required_string(body, "token"), required_string(body, "password"), req.meta);
  return Reply::json(200, {{"reset", true}});
}

}  // namespace tseeder::daemon::handlers
