#include <charconv>

#include "core/base64.h"
#include "core/error.h"
#include "core/index_list.h"
#include "handlers/handlers.h"
#include "http/multipart.h"
#include "jobs/job_options.h"

namespace tseeder::daemon::handlers {
namespace {

// A multipart form (`curl -F torrent=@x.torrent -F files=0,3-5`) read as the JSON body it stands
// for, so both kinds of request meet the same validation.
Json form_to_json(const std::vector<FormPart>& parts) {
  Json body = Json::object();
  for (const auto& p : parts) {
    if (body.contains(p.name))
      throw Error(Errc::invalid_argument, "form field '" + p.name + "' is given twice", {}, p.name);
    if (p.name == "torrent") {
      if (p.data.size() > jobs::kMaxTorrentBytes)
        throw Error(Errc::invalid_argument, "the .torrent file is larger than 4 MiB", {}, "torrent");
      body["torrent"] = encode_base64(p.data);
    } else if (p.name == "files") {
      std::string why;
      auto list = parse_index_list(p.data, static_cast<std::uint32_t>(jobs::kMaxFileIndex), jobs::kMaxFileChanges, why);
      if (!list) throw Error(Errc::invalid_argument, "form field 'files': " + why, "e.g. 0,3-5", "files");
      body["files"] = *list;
    } else if (p.name == "sequential") {
      if (p.data != "true" && p.data != "false")
        throw Error(Errc::invalid_argument, "form field 'sequential' must be true or false", {}, "sequential");
      body["sequential"] = p.data == "true";
    } else if (p.name == "downloadLimit" || p.name == "uploadLimit") {
      std::uint64_t n = 0;
      auto [end, ec] = std::from_chars(p.data.data(), p.data.data() + p.data.size(), n);
      if (p.data.empty() || ec != std::errc() || end != p.data.data() + p.data.size())
        throw Error(Errc::invalid_argument, "form field '" + p.name + "' must be a whole number of bytes per second",
                    {}, p.name);
      body[p.name] = n;
    } else {
      body[p.name] = p.data;  // url, magnet; anything else is refused by the JSON validation
    }
  }
  return body;
}

Json create_body(const Request& req) {
  if (auto boundary = multipart_boundary(req.header(http::field::content_type)))
    return form_to_json(parse_multipart(req.body(), *boundary));
  return parse_json_object(req.body());
}

}  // namespace

JobId job_id_param(const Request& req) {
  const auto& id = req.params.at("id");
  if (!looks_like_id(id))
    throw Error(Errc::not_found, "job " + id + " not found", "job ids are 16 hex characters", "id");
  return JobId{id};
}

Reply jobs_create(JobsApi& api, Request& req) {
  auto request = jobs::parse_job_request(create_body(req));
  auto [job, created] = api.jobs.create(req.who().user, request);
  req.audit_target = "job:" + job.id.value;
  req.audit_detail = {{"created", created}};
  Reply r = Reply::json(created ? 201 : 200, jobs::to_json(job));
  r.headers.push_back({"Location", "/jobs/" + job.id.value});
  return r;
}

namespace {

// ?idPrefix=: the caller's jobs whose id begins so (what the CLI turns a short id into), in id
// order. A filter of its own: it combines with nothing but limit.
Reply jobs_with_id_prefix(JobsApi& api, Request& req, const std::string& prefix) {
  for (const char* other : {"status", "offset", "after"})
    if (req.query_param(other))
      throw Error(Errc::invalid_argument, std::string("query parameter '") + other + "' does not go with idPrefix",
                  "ask for one or the other", other);
  const auto page = paging_query(req, 50, 500);
  auto [rows, total] = api.jobs.with_id_prefix(req.who().user, prefix, page.limit);
  Json list = Json::array();
  for (const auto& j : rows) list.push_back(jobs::to_json(j));
  return Reply::json(
      200, {{"jobs", std::move(list)}, {"total", total}, {"limit", page.limit}, {"offset", 0}, {"next", nullptr}});
}

}  // namespace

Reply jobs_list(JobsApi& api, Request& req) {
  if (auto prefix = req.query_param("idPrefix")) return jobs_with_id_prefix(api, req, *prefix);
  store::JobListQuery q;
  q.user_id = req.who().user;
  q.status = status_query(req);
  const auto page = paging_query(req, 50, 500);
  q.limit = page.fetch();
  q.offset = page.offset;
  q.after = page.after;
  auto rows = api.jobs.list(q);
  Json next = next_page(req, page, rows, [](const jobs::Job& j) { return store::Cursor{j.created_at_ms, j.id.value}; });
  Json list = Json::array();
  for (const auto& j : rows) list.push_back(jobs::to_json(j));
  return Reply::json(200, {{"jobs", std::move(list)},
                           {"total", api.jobs.count(q)},
                           {"limit", page.limit},
                           {"offset", page.offset},
                           {"next", next}});
}

Reply jobs_get(JobsApi& api, Request& req) {
  const auto job = api.jobs.get(req.who().user, job_id_param(req));
  Json j = jobs::to_json(job);
  j.update(api.jobs.notes(job));
  return Reply::json(200, j);
}

Reply jobs_patch(JobsApi& api, Request& req) {
  const Json body = parse_json_object(req.body());
  reject_unknown_fields(body, {"sequential", "downloadLimit", "uploadLimit"});
  const JobId id = job_id_param(req);
  auto options = jobs::apply_options(body, api.jobs.get(req.who().user, id).options);
  return Reply::json(200, jobs::to_json(api.jobs.set_options(req.who().user, id, options)));
}

// Live from the engine (not the store): they stay on the loop with the running job.
Reply jobs_trackers(JobsApi& api, Request& req) {
  const Json d = api.jobs.live_details(req.who().user, job_id_param(req));
  return Reply::json(200,
                     {{"infohash", d.value("infohash", Json())}, {"trackers", d.value("trackers", Json::array())}});
}

Reply jobs_peers(JobsApi& api, Request& req) {
  const Json d = api.jobs.live_details(req.who().user, job_id_param(req));
  return Reply::json(200, {{"peers", d.value("peers", Json::array())}});
}

Reply jobs_reannounce(JobsApi& api, Request& req) {
  const JobId id = job_id_param(req);
  api.jobs.reannounce(req.who().user, id);
  return Reply::json(200, {{"id", id.value}, {"reannounced", true}});
}

Reply jobs_pause(JobsApi& api, Request& req) {
  return Reply::json(200, jobs::to_json(api.jobs.pause(req.who().user, job_id_param(req))));
}

Reply jobs_resume(JobsApi& api, Request& req) {
  return Reply::json(200, jobs::to_json(api.jobs.resume(req.who().user, job_id_param(req))));
}

Reply jobs_cancel(JobsApi& api, Request& req) {
  return Reply::json(200, jobs::to_json(api.jobs.cancel(req.who().user, job_id_param(req))));
}

Reply jobs_retry(JobsApi& api, Request& req) {
  return Reply::json(200, jobs::to_json(api.jobs.retry(req.who().user, job_id_param(req))));
}

Reply jobs_delete(JobsApi& api, Request& req) {
  api.jobs.remove(req.who().user, job_id_param(req));
  Reply r;
  r.status = 204;
  r.content_type = "application/json";
  return r;
}

}  // namespace tseeder::daemon::handlers
