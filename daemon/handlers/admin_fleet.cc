// /admin/fleet: the agents of this controller and the tokens they join with.
#include "fleet/join_tokens.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

Reply admin_fleet_tokens_list(JoinTokensApi& api, Request& req) {
  Json list = Json::array();
  for (const auto& t : api.tokens.recent(static_cast<int>(int_query(req, "limit", 50, 1, 500))))
    list.push_back(fleet::to_json(t));
  return Reply::json(200, {{"joinTokens", std::move(list)}});
}

Reply admin_fleet_tokens_create(JoinTokensApi& api, Request& req) {
  auto body = req.body().empty() ? Json::object() : parse_json_object(req.body());
  reject_unknown_fields(body, {"note"});
  auto made = api.tokens.create(req.who(), optional_string(body, "note"), req.meta);
  return Reply::json(201, {{"token", made.token}, {"joinToken", fleet::to_json(made.record)}});
}

Reply admin_fleet_agents_list(AgentsAdminApi& api, Request&) {
  Json list = Json::array();
  for (const auto& a : api.fleet.agents())
    if (a.row.state != "removed") list.push_back(fleet::to_json(a));
  return Reply::json(200, {{"role", "controller"}, {"agents", std::move(list)}});
}

Reply admin_fleet_agent_drain(AgentsAdminApi& api, Request& req) {
  return Reply::json(200, {{"agent", fleet::to_json(api.fleet.set_draining(req.params.at("id"), true))}});
}

Reply admin_fleet_agent_undrain(AgentsAdminApi& api, Request& req) {
  return Reply::json(200, {{"agent", fleet::to_json(api.fleet.set_draining(req.params.at("id"), false))}});
}

Reply admin_fleet_agent_remove(AgentsAdminApi& api, Request& req) {
  auto body = req.body().empty() ? Json::object() : parse_json_object(req.body());
  reject_unknown_fields(body, {"reason", "ticketId"});
  const auto why = justification(body);
  auth::check_justification(why, true);  // its jobs go back to the queue
  req.audit_detail = {{"reason", why.reason}, {"ticketId", why.ticket_id}};
  api.fleet.remove(req.params.at("id"), api.jobs);
  return Reply::json(200, {{"removed", req.params.at("id")}});
}

Reply no_agents_list(NoAgentsApi& api, Request&) {
  return Reply::json(200, {{"role", api.role}, {"agents", Json::array()}});
}

Reply no_agent_action(NoAgentsApi& api, Request&) {
  throw Error(Errc::conflict, "this server runs its jobs itself (role: " + api.role + "); it has no agents",
              "start it with role: controller to hand jobs to agents");
}

}  // namespace tseeder::daemon::handlers
