// /admin/jobs: every user's jobs for staff, and terminating one with a reason and a ticket.
#include <limits>

#include "core/error.h"
#include "handlers/handlers.h"
#include "jobs/staff_jobs.h"

namespace tseeder::daemon::handlers {

namespace {

constexpr std::size_t kMaxNameParam = 100;

// ?engine= and ?agent= name a plugin or an agent: short printable words.
std::optional<std::string> name_query(const Request& req, const std::string& key) {
  auto v = req.query_param(key);
  if (!v) return std::nullopt;
  if (v->empty() || v->size() > kMaxNameParam || v->find_first_of(" \t\r\n\"'%") != std::string::npos)
    throw Error(Errc::invalid_argument, "query parameter '" + key + "' must be a name of 1 to 100 characters", {}, key);
  return v;
}

// A job as staff see it: the owner's view, and whose it is.
Json staff_json(const jobs::Job& j) {
  Json out = jobs::to_json(j);
  out["userId"] = j.user_id.value;
  return out;
}

}  // namespace

Reply admin_jobs_list(StaffJobsApi& api, Request& req) {
  store::StaffJobQuery q;
  if (auto user = req.query_param("user")) {
    if (!looks_like_id(*user))
      throw Error(Errc::invalid_argument, "query parameter 'user' must be a user id (16 hex characters)",
                  "find one with `tseeder admin users ls`", "user");
    q.user = UserId{*user};
  }
  q.status = status_query(req);
  q.engine = name_query(req, "engine");
  q.agent = name_query(req, "agent");
  if (req.query_param("olderThan"))
    q.created_before_ms =
        api.clock.now_ms() - 1000 * int_query(req, "olderThan", 0, 0, std::numeric_limits<std::int32_t>::max());
  const auto page = paging_query(req, 50, 500, Offset::refused);
  q.limit = page.fetch();
  q.after = page.after;
  auto rows = api.jobs.list(q);
  Json next = next_page(req, page, rows, [](const jobs::Job& j) { return store::Cursor{j.created_at_ms, j.id.value}; });
  Json list = Json::array();
  for (const auto& j : rows) list.push_back(staff_json(j));
  return Reply::json(200, {{"jobs", std::move(list)}, {"next", next}});
}

Reply admin_jobs_show(StaffJobsApi& api, Request& req) {
  return Reply::json(200, {{"job", staff_json(api.jobs.get(job_id_param(req)))}});
}

Reply admin_jobs_terminate(StaffJobsApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"reason", "ticketId"});
  auto job = api.jobs.terminate(req.who(), job_id_param(req), justification(body), req.meta);
  return Reply::json(200, {{"job", staff_json(job)}});
}

}  // namespace tseeder::daemon::handlers
