// /admin/fleet: the agents of this controller and the tokens they join with.
#include "fleet/join_tokens.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

namespace {
fleet::Controller& controller(App& app) {
  if (!app.fleet)
    throw Error(Errc::conflict, "this server runs its jobs itself (role: " + app.cfg.role + "); it has no agents",
                "start it with role: controller to hand jobs to agents");
  return *app.fleet;
}
}  // namespace

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

Reply admin_fleet_agents_list(App& app, Request&) {
  Json list = Json::array();
  if (app.fleet)
    for (const auto& a : app.fleet->agents())
      if (a.row.state != "removed") list.push_back(fleet::to_json(a));
  return Reply::json(200, {{"role", app.cfg.role}, {"agents", list}});
}

Reply admin_fleet_agent_drain(App& app, Request& req) {
  return Reply::json(200, {{"agent", fleet::to_json(controller(app).set_draining(req.params.at("id"), true))}});
}

Reply admin_fleet_agent_undrain(App& app, Request& req) {
  return Reply::json(200, {{"agent", fleet::to_json(controller(app).set_draining(req.params.at("id"), false))}});
}

Reply admin_fleet_agent_remove(App& app, Request& req) {
  controller(app).remove(req.params.at("id"), *app.jobs);
  return Reply::json(200, {{"removed", req.params.at("id")}});
}

}  // namespace tseeder::daemon::handlers
