// /usage for everyone, /admin/plans for staff: what plans allow and what an account used.
#include "core/error.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

Reply usage(App& app, Request& req) {
  return Reply::json(200, quota::to_json(app.limits->usage(req.who().user)));
}

Reply admin_plans_list(App& app, Request& req) {
  (void)req;
  Json list = Json::array();
  for (const auto& p : app.plans->list()) list.push_back(quota::to_json(p));
  return Reply::json(200, {{"plans", list}});
}

Reply admin_plans_update(App& app, Request& req) {
  const auto& id = req.params.at("id");
  if (id.empty() || id.size() > 40)
    throw Error(Errc::not_found, "plan '" + id + "' not found", "see tseeder admin plans ls", "id");
  auto p = app.plans->update(req.who(), id, parse_json_object(req.body()), req.meta);
  return Reply::json(200, {{"plan", quota::to_json(p)}});
}

}  // namespace tseeder::daemon::handlers
