#include <sys/stat.h>

#include <charconv>
#include <cstdio>
#include <limits>

#include "core/error.h"
#include "handlers/file_stream.h"
#include "handlers/handlers.h"
#include "handlers/paging.h"
#include "http/byte_range.h"
#include "http/http_status.h"
#include "jobs/job_options.h"

namespace tseeder::daemon::handlers {
namespace {

std::int64_t file_id_param(const Request& req) {
  return number_param(req, "fileId", "file", "file ids are positive numbers from `tseeder files`");
}

constexpr int kFilesPerPage = 1000;
constexpr int kMaxFilesPerPage = 10000;

// A page of a job's file list: one file more than the limit was asked for, which only says that
// a page follows (its `next` link starts after the last index shown).
Reply file_list(const Request& req, std::vector<jobs::JobFile> files, int limit) {
  Json next = nullptr;
  if (files.size() > static_cast<std::size_t>(limit) && files[static_cast<std::size_t>(limit) - 1].index) {
    files.resize(static_cast<std::size_t>(limit));
    next = link_to(req.path, {{"limit", std::to_string(limit)}, {"after", std::to_string(*files.back().index)}});
  }
  Json list = Json::array();
  for (const auto& f : files) list.push_back(jobs::to_json(f));
  return Reply::json(200, {{"files", std::move(list)}, {"next", next}});
}

int files_limit(const Request& req) {
  return static_cast<int>(int_query(req, "limit", kFilesPerPage, 1, kMaxFilesPerPage));
}

}  // namespace

Reply job_files(FilesApi& api, Request& req) {
  const int limit = files_limit(req);
  const auto after = int_query(req, "after", -1, -1, std::numeric_limits<std::uint32_t>::max());
  return file_list(req, api.jobs.contents(req.who().user, job_id_param(req), after, limit + 1), limit);
}

Reply job_files_patch(FilesApi& api, Request& req) {
  auto changes = jobs::parse_file_changes(parse_json_object(req.body()));
  const int limit = files_limit(req);
  return file_list(req, api.jobs.change_files(req.who().user, job_id_param(req), limit + 1, changes), limit);
}

Reply job_file_content(FilesApi& api, Request& req) {
  return serve_stored_file(api, api.jobs.file(req.who().user, job_id_param(req), file_id_param(req)), req,
                           req.who().user);
}

Reply job_file_url(FilesApi& api, Request& req) {
  const JobId job = job_id_param(req);
  const auto f = api.jobs.file(req.who().user, job, file_id_param(req));
  const auto ttl = int_query(req, "expiresIn", api.link_ttl_s, 1, 7 * 24 * 3600);
  const std::int64_t expires = api.clock.now_ms() / 1000 + ttl;
  // Always the daemon's own link, whatever the storage: it answers only while its owner is in
  // good standing (with object storage, by sending the client on to a short presigned URL).
  const std::string url = api.auth.public_url + "/dl/" + api.links.issue(job, f.id, req.who().user, expires);
  return Reply::json(200, {{"url", url}, {"path", f.path}, {"size", f.size_bytes}, {"expiresAt", expires * 1000}});
}

Reply download(FilesApi& api, Request& req) {
  auto claim = storage::DownloadLinks::parse(req.params.at("token"));
  if (!claim) throw Error(Errc::forbidden, "download link is not valid", "ask for a new one with tseeder url");
  if (claim->expires_s * 1000 <= api.clock.now_ms())
    throw Error(Errc::forbidden, "download link has expired", "ask for a new one with tseeder url");
  std::optional<std::pair<UserId, jobs::StoredFile>> found;
  try {
    found = api.jobs.stored_file(claim->job, claim->file_id);
  } catch (const Error& e) {
    if (e.code() != Errc::not_found) throw;
  }
  // A link to nothing, a forged link and one of an account suspended (or gone) since look the
  // same from outside: a link lives no longer than its owner's rights.
  if (!found || !api.links.valid(*claim, found->first) || !api.credentials.in_good_standing(found->first))
    throw Error(Errc::forbidden, "download link is not valid", "ask for a new one with tseeder url");
  return serve_stored_file(api, found->second, req, found->first);
}

}  // namespace tseeder::daemon::handlers
