// /usage for everyone, /admin/plans for staff: what plans allow and what an account used.
#include "core/error.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

Reply usage(PlansApi& api, Request& req) {
  return Reply::json(200, quota::to_json(api.quota.usage(req.who().user)));
}

Reply admin_plans_list(PlansApi& api, Request& req) {
  (void)req;
  Json list = Json::array();
  for (const auto& p : api.plans.list()) list.push_back(quota::to_json(p));
  return Reply::json(200, {{"plans", std::move(list)}});
}

Reply admin_plans_update(PlansApi& api, Request& req) {
  const auto& id = req.params.at("id");
  if (id.empty() || id.size() > 40)
    throw Error(Errc::not_found, "plan '" + id + "' not found", "see tseeder admin plans ls", "id");
  auto change = parse_json_object(req.body());
  const auto why = justification(change);
  change.erase("reason");
  change.erase("ticketId");
  auto p = api.plans.update(req.who(), id, change, why, req.meta);
  return Reply::json(200, {{"plan", quota::to_json(p)}});
}

}  // namespace tseeder::daemon::handlers
