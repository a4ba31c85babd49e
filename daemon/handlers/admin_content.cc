// /admin/blocklist, /admin/dlq and /admin/storage: content staff keep off this daemon, jobs whose
// retries ran out, and storage upkeep.
#include <limits>

#include "auth/user_admin.h"
#include "core/error.h"
#include "handlers/handlers.h"
#include "jobs/blocklist.h"
#include "jobs/dead_letters.h"

namespace tseeder::daemon::handlers {

Reply admin_blocklist_list(ContentAdminApi& api, Request& req) {
  const auto page = paging_query(req, 100, 1000, Offset::refused);
  auto rows = api.blocklist.list(page.fetch(), page.after);
  Json next = next_page(req, page, rows, [](const store::BlockedContent& b) {
    return store::Cursor{b.created_at_ms, b.infohash};
  });
  Json list = Json::array();
  for (const auto& b : rows) list.push_back(jobs::to_json(b));
  return Reply::json(200, {{"entries", std::move(list)}, {"next", next}});
}

Reply admin_blocklist_add(ContentAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"infohash", "reason", "ticketId"});
  auto res = api.blocklist.add(req.who(), required_string(body, "infohash"), justification(body), req.meta);
  return Reply::json(201, {{"entry", jobs::to_json(res.entry)}, {"jobsStopped", res.jobs_stopped}});
}

Reply admin_blocklist_remove(ContentAdminApi& api, Request& req) {
  auto body = req.body().empty() ? Json::object() : parse_json_object(req.body());
  reject_unknown_fields(body, {"reason", "ticketId"});
  api.blocklist.remove(req.who(), req.params.at("infohash"), justification(body), req.meta);
  Reply r;
  r.status = 204;
  return r;
}

Reply admin_dlq_list(ContentAdminApi& api, Request& req) {
  auto page = paging_query(req, 100, 1000, Offset::refused);
  // `before` (a time in ms) is the older way to start a page: everything that died before it.
  if (req.query.contains("before") && !page.after)
    page.after = store::Cursor{int_query(req, "before", 0, 0, std::numeric_limits<std::int64_t>::max()), ""};
  auto rows = api.dead_letters.list(page.fetch(), page.after);
  Json next = next_page(req, page, rows, [](const store::DeadLetter& d) {
    return store::Cursor{d.dead_at_ms, d.job_id.value};
  });
  Json list = Json::array();
  for (const auto& d : rows) list.push_back(jobs::to_json(d));
  return Reply::json(200, {{"entries", std::move(list)}, {"next", next}});
}

Reply admin_dlq_replay(ContentAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"reason", "ticketId"});
  const auto id = job_id_param(req);
  auto job = api.dead_letters.replay(req.who(), id, justification(body), req.meta);
  return Reply::json(200, {{"job", jobs::to_json(job)}});
}

Reply admin_storage_sweep(ContentAdminApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"reason", "ticketId", "dryRun"});
  jobs::SweepRequest sweep;
  sweep.actor = req.who();
  sweep.meta = req.meta;
  sweep.why = justification(body);
  auth::check_justification(sweep.why, true);
  if (body.contains("dryRun")) {
    if (!body["dryRun"].is_boolean())
      throw Error(Errc::invalid_argument, "field 'dryRun' must be true or false", {}, "dryRun");
    sweep.dry_run = body["dryRun"].get<bool>();
  }
  const auto id = api.sweeper.start(sweep);
  Reply r = Reply::json(202, {{"sweep", jobs::to_json(*api.sweeper.find(id))}});
  r.headers.push_back({"Location", "/admin/storage/sweeps/" + std::to_string(id)});
  return r;
}

Reply admin_storage_sweeps(ContentAdminApi& api, Request& req) {
  Json list = Json::array();
  for (const auto& s : api.sweeper.recent(static_cast<int>(int_query(req, "limit", 20, 1, 500))))
    list.push_back(jobs::to_json(s));
  return Reply::json(200, {{"sweeps", std::move(list)}});
}

Reply admin_storage_sweep_get(ContentAdminApi& api, Request& req) {
  constexpr const char* kHint = "see tseeder admin storage sweeps";
  const auto id = number_param(req, "id", "sweep", kHint);
  auto s = api.sweeper.find(id);
  if (!s) throw Error(Errc::not_found, "sweep " + std::to_string(id) + " not found", kHint);
  return Reply::json(200, {{"sweep", jobs::to_json(*s)}});
}

}  // namespace tseeder::daemon::handlers
