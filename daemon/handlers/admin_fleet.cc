// /admin/fleet: the agents of this controller and the tokens they join with.
#include "fleet/join_tokens.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

Reply admin_fleet_tokens_list(App& app, Request& req) {
  Json list = Json::array();
  for (const auto& t : app.join_tokens->recent(static_cast<int>(int_query(req, "limit", 50, 1, 500))))
    list.push_back(fleet::to_json(t));
  return Reply::json(200, {{"joinTokens", list}});
}

Reply admin_fleet_tokens_create(App& app, Request& req) {
  auto body = req.body().empty() ? Json::object() : parse_json_object(req.body());
  reject_unknown_fields(body, {"note"});
  auto made = app.join_tokens->create(req.who(), optional_string(body, "note"), req.meta);
  return Reply::json(201, {{"token", made.token}, {"joinToken", fleet::to_json(made.record)}});
}

}  // namespace tseeder::daemon::handlers
