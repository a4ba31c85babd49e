// /auth/sessions and /auth/api-keys: a user's own ways in.
#include "auth/credentials.h"
#include "core/error.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

namespace {

std::string short_id_param(const Request& req, const char* what) {
  const auto& id = req.params.at("id");
  if (!looks_like_id(id)) throw Error(Errc::not_found, std::string(what) + " " + id + " not found", {}, "id");
  return id;
}

}  // namespace

Reply sessions_list(AuthApi& api, Request& req) {
  Json list = Json::array();
  for (const auto& s : api.credentials.sessions(req.who().user))
    list.push_back(auth::session_json(s, req.who().session_id));
  return Reply::json(200, {{"sessions", std::move(list)}});
}

Reply sessions_revoke(AuthApi& api, Request& req) {
  api.credentials.revoke_session(req.who().user, short_id_param(req, "session"), "revoked by user");
  return Reply::json(200, {{"revoked", true}});
}

Reply api_keys_create(AuthApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"name", "expiresInDays"});
  auto days = optional_uint(body, "expiresInDays", 100000);
  auto k = api.credentials.create_api_key(
      req.who().user, required_string(body, "name"),
      days ? std::optional<std::int64_t>(static_cast<std::int64_t>(*days)) : std::nullopt);
  req.audit_target = "apikey:" + k.row.id;
  req.audit_detail = {{"name", k.row.name}, {"prefix", std::string(auth::kApiKeyPrefix) + k.row.prefix}};
  Json j = auth::api_key_json(k.row);
  j["key"] = k.key;
  Reply r = Reply::json(201, j);
  r.headers.push_back({"Cache-Control", "no-store"});
  return r;
}

Reply api_keys_list(AuthApi& api, Request& req) {
  Json list = Json::array();
  for (const auto& k : api.credentials.api_keys(req.who().user)) list.push_back(auth::api_key_json(k));
  return Reply::json(200, {{"apiKeys", std::move(list)}});
}

Reply api_keys_revoke(AuthApi& api, Request& req) {
  api.credentials.revoke_api_key(req.who().user, short_id_param(req, "API key"));
  return Reply::json(200, {{"revoked", true}});
}

}  // namespace tseeder::daemon::handlers
