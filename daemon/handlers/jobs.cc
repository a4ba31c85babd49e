#include <charconv>

#include "core/error.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {
namespace {

std::int64_t int_query(const Request& req, const std::string& key, std::int64_t def, std::int64_t lo, std::int64_t hi) {
  auto v = req.query_param(key);
  if (!v) return def;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || ec != std::errc() || end != v->data() + v->size() || n < lo || n > hi)
    throw Error(
        Errc::invalid_argument,
        "query parameter '" + key + "' must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi),
        {}, key);
  return n;
}

}  // namespace

JobId job_id_param(const Request& req) {
  const auto& id = req.params.at("id");
  if (!looks_like_job_id(id))
    throw Error(Errc::not_found, "job " + id + " not found", "job ids are 16 hex characters", "id");
  return JobId{id};
}

Reply jobs_create(App& app, Request& req) {
  auto request = jobs::parse_job_request(parse_json_object(req.body()));
  auto [job, created] = app.jobs->create(kLocalOwner, request);
  Reply r = Reply::json(created ? 201 : 200, jobs::to_json(job));
  r.headers.push_back({"Location", "/jobs/" + job.id.value});
  return r;
}

Reply jobs_list(App& app, Request& req) {
  store::JobListQuery q{kLocalOwner};
  if (auto s = req.query_param("status")) {
    q.status = jobs::parse_state(*s);
    if (!q.status)
      throw Error(Errc::invalid_argument, "query parameter 'status' has unknown value '" + *s + "'",
                  "one of submitted, metadata_fetch, queued, downloading, uploading, completed, paused, failed, "
                  "cancelled",
                  "status");
  }
  q.limit = static_cast<int>(int_query(req, "limit", 50, 1, 500));
  q.offset = static_cast<int>(int_query(req, "offset", 0, 0, 1'000'000'000));
  Json list = Json::array();
  for (const auto& j : app.jobs->list(q)) list.push_back(jobs::to_json(j));
  return Reply::json(200, {{"jobs", list}, {"total", app.jobs->count(q)}, {"limit", q.limit}, {"offset", q.offset}});
}

Reply jobs_get(App& app, Request& req) {
  return Reply::json(200, jobs::to_json(app.jobs->get(kLocalOwner, job_id_param(req))));
}

Reply jobs_pause(App& app, Request& req) {
  return Reply::json(200, jobs::to_json(app.jobs->pause(kLocalOwner, job_id_param(req))));
}

Reply jobs_resume(App& app, Request& req) {
  return Reply::json(200, jobs::to_json(app.jobs->resume(kLocalOwner, job_id_param(req))));
}

Reply jobs_cancel(App& app, Request& req) {
  return Reply::json(200, jobs::to_json(app.jobs->cancel(kLocalOwner, job_id_param(req))));
}

Reply jobs_retry(App& app, Request& req) {
  return Reply::json(200, jobs::to_json(app.jobs->retry(kLocalOwner, job_id_param(req))));
}

Reply jobs_delete(App& app, Request& req) {
  app.jobs->remove(kLocalOwner, job_id_param(req));
  Reply r;
  r.status = 204;
  r.content_type = "application/json";
  return r;
}

}  // namespace tseeder::daemon::handlers
