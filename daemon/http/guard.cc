#include "http/guard.h"

#include <unistd.h>

#include "app.h"
#include "auth/credentials.h"
#include "core/secrets.h"
#include "http/http_status.h"

namespace tseeder::daemon {

namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// "host:port", "[v6]:port", "host" → the host part, lower-cased.
std::string host_of(std::string_view h) {
  if (h.starts_with('[')) {
    auto end = h.find(']');
    return lower(std::string(h.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1)));
  }
  auto colon = h.find(':');
  if (colon != std::string_view::npos && h.find(':', colon + 1) == std::string_view::npos) h = h.substr(0, colon);
  return lower(std::string(h));
}

std::string cookie_value(const std::string& header, std::string_view name) {
  std::string_view rest = header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    auto part = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
  }
  return {};
}

bool changes_state(http::verb m) {
  return m != http::verb::get && m != http::verb::head && m != http::verb::options;
}

std::optional<std::int64_t> take_ip_limit(App& app, Limit limit, const std::string& ip) {
  const auto& c = app.cfg;
  switch (limit) {
    case Limit::none:
      return std::nullopt;
    case Limit::api:
      return app.limiter->take("api:ip:" + ip, c.limits_api_per_minute_ip, 60);
    case Limit::login:
      return app.limiter->take("login:ip:" + ip, c.limits_login_per_minute_ip, 60);
    case Limit::registration:
      return app.limiter->take("register:ip:" + ip, c.limits_register_per_hour_ip, 3600);
    case Limit::mail:
      return app.limiter->take("mail:ip:" + ip, c.limits_reset_per_hour_ip, 3600);
  }
  return std::nullopt;
}

std::optional<auth::Principal> authenticate(App& app, const Route& route, const Request& req, const Peer& peer) {
  const std::string authz = req.header(http::field::authorization);
  try {
    if (!authz.empty()) {
      if (!authz.starts_with("Bearer "))
        throw Error(Errc::unauthenticated, "Authorization must be 'Bearer API_KEY'", "create a key with tseeder login");
      return app.credentials->from_api_key(authz.substr(7));
    }
    // Root and the daemon's own user own the machine already: over the socket they are the
    // operator. Anyone else on the socket presents a key like any other client.
    if (peer.uid && (*peer.uid == 0 || *peer.uid == ::geteuid())) return app.operator_principal();
    const std::string token =
        cookie_value(req.header(http::field::cookie), auth::session_cookie_name(app.auth_settings.secure_cookies));
    if (!token.empty()) return app.credentials->from_session_token(token);
  } catch (const Error&) {
    // Stale credentials do not stop anyone from reaching a public route (e.g. logging in again).
    if (route.access != auth::Access::anyone) throw;
  }
  return std::nullopt;
}

std::optional<Reply> admit_or_throw(App& app, const Route& route, Request& req, http::verb method, const Peer& peer) {
  req.meta.ip = peer.address;
  req.meta.request_id = req.request_id;
  req.meta.user_agent = req.header(http::field::user_agent).substr(0, 300);
  if (!req.via_unix_socket) {
    const std::string host = req.header(http::field::host);
    if (!app.allowed_hosts.contains(host_of(host)))
      throw Error(Errc::misdirected, "host '" + host_of(host) + "' is not one this daemon answers for",
                  "the operator adds it to auth.allowed_hosts or sets auth.public_url");
  }
  req.principal = authenticate(app, route, req, peer);
  const bool operator_peer = req.principal && req.principal->via == auth::Via::unix_peer;
  if (!operator_peer) {
    if (auto wait = take_ip_limit(app, route.limit, peer.address))
      throw Error(Errc::rate_limited, "too many requests from " + peer.address, "slow down").retry_after(*wait);
  }
  if (route.access == auth::Access::anyone) {
    // No session is at stake, so no CSRF token either; but a cross-site form (which cannot send
    // application/json without a preflight) must not log a browser into someone's account.
    if (changes_state(method) && !req.header(http::field::content_length).empty() &&
        req.header(http::field::content_length) != "0" &&
        !req.header(http::field::content_type).starts_with("application/json"))
      throw Error(Errc::unsupported, "this route takes a JSON body", "send Content-Type: application/json");
    if (route.before_body) route.before_body(req);
    return std::nullopt;
  }
  if (!req.principal)
    throw Error(Errc::unauthenticated, "log in first",
                "send Authorization: Bearer API_KEY (tseeder login makes one) or log in with POST /auth/login");
  const auto& p = *req.principal;
  if (p.via == auth::Via::session && changes_state(method)) {
    const std::string sent = req.header("X-CSRF-Token");
    if (sent.empty() || !equal_constant_time(sent, p.csrf_token))
      throw Error(Errc::forbidden, sent.empty() ? "X-CSRF-Token header is missing" : "X-CSRF-Token header is wrong",
                  "send the csrfToken from POST /auth/login or GET /auth/me");
  }
  if (!auth::role_allows(p.role, route.access))
    throw Error(Errc::forbidden, "this needs the role " + std::string(auth::to_string(route.access)) +
                                     " or higher; you are " + std::string(auth::to_string(p.role)));
  if (!operator_peer && route.limit == Limit::api) {
    if (auto wait = app.limiter->take("api:user:" + p.user.value, app.cfg.limits_api_per_minute_account, 60))
      throw Error(Errc::rate_limited, "too many requests for this account", "slow down").retry_after(*wait);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Reply> admit(App& app, const Route& route, Request& req, http::verb method, const Peer& peer) {
  try {
    return admit_or_throw(app, route, req, method, peer);
  } catch (const Error& e) {
    return error_reply(e);
  }
}

void audit_success(App& app, const Route& route, const Request& req, const Reply& reply) {
  if (route.audit.empty() || reply.status >= 400) return;
  std::string target = req.audit_target;
  if (target.empty()) {
    auto it = req.params.find("id");
    if (it != req.params.end()) target = std::string(route.audit.substr(0, route.audit.find('.'))) + ":" + it->second;
  }
  app.audit->record(req.principal ? &*req.principal : nullptr, req.meta, std::string(route.audit), target,
                    req.audit_detail);
}

}  // namespace tseeder::daemon
