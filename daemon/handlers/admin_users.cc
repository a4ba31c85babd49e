// /admin/users, /admin/bootstrap and /admin/audit: staff tools over accounts and the trail.
#include "auth/account_service.h"
#include "auth/user_admin.h"
#include "core/error.h"
#include "handlers/handlers.h"
#include "handlers/password_off_loop.h"

namespace tseeder::daemon::handlers {

namespace {

UserId user_id_param(const Request& req) {
  const auto& id = req.params.at("id");
  if (!looks_like_id(id))
    throw Error(Errc::not_found, "user " + id + " not found", "user ids are 16 hex characters", "id");
  return UserId{id};
}

auth::Role role_field(const Json& body, const char* key) {
  auto text = required_string(body, key);
  auto r = auth::parse_role(text);
  if (!r)
    throw Error(Errc::invalid_argument, "role '" + text + "' is not one of user, support, admin, superadmin", {}, key);
  return *r;
}

Reply added(const auth::AddedUser& a) {
  Json j = {{"user", auth::user_json(a.user)}};
  if (a.generated_password) j["password"] = *a.generated_password;
  Reply r = Reply::json(201, j);
  r.headers.push_back({"Cache-Control", "no-store"});
  return r;
}

// The password is hashed on a KDF thread: tens of milliseconds the loop would otherwise stop for.
Reply add_off_loop(UsersAdminApi& api, Request& req, const auth::PendingUser& pending) {
  return hash_off_loop(api.io, api.kdf, api.settings.kdf, *pending.user.password,
                       [&api, pending, actor = req.who(), meta = req.meta](std::string hash) {
                         return added(api.users.finish_add(actor, pending, hash, meta));
                       });
}

}  // namespace

auth::Justification justification(const Json& body) {
  return {optional_string(body, "reason").value_or(""), optional_string(body, "ticketId").value_or("")};
}

Reply admin_bootstrap(UsersAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"email", "password"});
  return add_off_loop(
      api, req,
      api.users.begin_bootstrap(req.who(), required_string(body, "email"), optional_string(body, "password")));
}

Reply admin_users_add(UsersAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"email", "role", "plan", "password"});
  auth::NewUser n;
  n.email = required_string(body, "email");
  if (body.contains("role")) n.role = role_field(body, "role");
  n.plan = optional_string(body, "plan").value_or("free");
  n.password = optional_string(body, "password");
  return add_off_loop(api, req, api.users.begin_add(req.who(), n));
}

Reply admin_users_list(UsersAdminApi& api, Request& req) {
  store::UserListQuery q;
  q.email_contains = req.query_param("q").value_or("");
  if (auto r = req.query_param("role")) {
    q.role = auth::parse_role(*r);
    if (!q.role)
      throw Error(Errc::invalid_argument, "query parameter 'role' has unknown value '" + *r + "'", {}, "role");
  }
  const auto page = paging_query(req, 50, 500);
  q.limit = page.fetch();
  q.offset = page.offset;
  q.after = page.after;
  auto rows = api.users.list(q);
  Json next = next_page(req, page, rows, [](const auth::User& u) {
    return store::Cursor{u.created_at_ms, u.id.value};
  });
  Json list = Json::array();
  for (const auto& u : rows) list.push_back(auth::user_json(u));
  return Reply::json(200, {{"users", std::move(list)}, {"limit", page.limit}, {"offset", page.offset}, {"next", next}});
}

Reply admin_users_get(UsersAdminApi& api, Request& req) {
  return Reply::json(200, {{"user", auth::user_json(api.users.show(user_id_param(req)))}});
}

Reply admin_users_role(UsersAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"role", "reason", "ticketId"});
  auto u = api.users.set_role(req.who(), user_id_param(req), role_field(body, "role"), justification(body), req.meta);
  return Reply::json(200, {{"user", auth::user_json(u)}});
}

Reply admin_users_suspend(UsersAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"reason", "ticketId"});
  auto u = api.users.suspend(req.who(), user_id_param(req), justification(body), req.meta);
  return Reply::json(200, {{"user", auth::user_json(u)}});
}

Reply admin_users_delete(UsersAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"reason", "ticketId"});
  api.users.remove(req.who(), user_id_param(req), justification(body), req.meta);
  Reply r;
  r.status = 204;
  return r;
}

Reply admin_users_unsuspend(UsersAdminApi& api, Request& req) {
  auto body = req.body().empty() ? Json::object() : parse_json_object(req.body());
  reject_unknown_fields(body, {"reason", "ticketId"});
  auto u = api.users.unsuspend(req.who(), user_id_param(req), justification(body), req.meta);
  return Reply::json(200, {{"user", auth::user_json(u)}});
}

Reply admin_users_force_logout(UsersAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"reason", "ticketId"});
  const auto ended = api.users.force_logout(req.who(), user_id_param(req), justification(body), req.meta);
  return Reply::json(200, ended.to_json());
}

Reply admin_users_plan(UsersAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"plan", "reason", "ticketId"});
  auto u =
      api.users.set_plan(req.who(), user_id_param(req), required_string(body, "plan"), justification(body), req.meta);
  return Reply::json(200, {{"user", auth::user_json(u)}});
}

Reply admin_audit(UsersAdminApi& api, Request& req) {
  store::AuditQuery q;
  q.actor_id = req.query_param("actor");
  q.action = req.query_param("action");
  q.target = req.query_param("target");
  q.since = req.query_param("since");
  q.until = req.query_param("until");
  if (req.query_param("before")) q.before_id = int_query(req, "before", 0, 1, INT64_MAX);
  const int limit = static_cast<int>(int_query(req, "limit", 100, 1, 1000));
  q.limit = limit + 1;
  for (const auto* v : {&q.since, &q.until})
    if (*v && (v->value().size() < 10 || v->value().size() > 30))
      throw Error(Errc::invalid_argument, "since/until must be ISO 8601 times",
                  "e.g. 2026-11-22 or 2026-11-22T10:00:00Z");
  // Entries are numbered: the next page is the one before the last entry shown.
  auto rows = api.audit.query(q);
  Json next = nullptr;
  if (rows.size() > static_cast<std::size_t>(limit)) {
    rows.resize(static_cast<std::size_t>(limit));
    auto query = req.query;
    query["before"] = std::to_string(rows.back().id);
    query["limit"] = std::to_string(limit);
    next = link_to(req.path, query);
  }
  Json list = Json::array();
  for (const auto& row : rows) list.push_back(audit::to_json(row));
  return Reply::json(200, {{"entries", std::move(list)}, {"next", next}});
}

}  // namespace tseeder::daemon::handlers
