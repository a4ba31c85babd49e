// /admin/blocklist: content staff keep off this daemon.
#include "core/error.h"
#include "handlers/handlers.h"
#include "jobs/blocklist.h"

namespace tseeder::daemon::handlers {

Reply admin_blocklist_list(App& app, Request& req) {
  (void)req;
  Json list = Json::array();
  for (const auto& b : app.blocklist->list()) list.push_back(jobs::to_json(b));
  return Reply::json(200, {{"entries", list}});
}

Reply admin_blocklist_add(App& app, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"infohash", "reason"});
  auto res =
      app.blocklist->add(req.who(), required_string(body, "infohash"), required_string(body, "reason"), req.meta);
  return Reply::json(201, {{"entry", jobs::to_json(res.entry)}, {"jobsStopped", res.jobs_stopped}});
}

Reply admin_blocklist_remove(App& app, Request& req) {
  auto body = req.body().empty() ? Json::object() : parse_json_object(req.body());
  reject_unknown_fields(body, {"reason"});
  app.blocklist->remove(req.who(), req.params.at("infohash"), optional_string(body, "reason").value_or(""), req.meta);
  Reply r;
  r.status = 204;
  return r;
}

}  // namespace tseeder::daemon::handlers
