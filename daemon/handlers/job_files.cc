#include <sys/stat.h>

#include <charconv>
#include <cstdio>

#include "core/error.h"
#include "handlers/file_stream.h"
#include "handlers/handlers.h"
#include "http/byte_range.h"
#include "http/http_status.h"
#include "jobs/job_options.h"

namespace tseeder::daemon::handlers {
namespace {

// attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded — safe for any name.
std::string content_disposition(const std::string& path) {
  std::string name = path.substr(path.rfind('/') + 1);
  std::string ascii, encoded;
  for (unsigned char c : name) {
    ascii.push_back(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? static_cast<char>(c) : '_');
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      encoded += buf;
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

std::int64_t file_id_param(const Request& req) {
  const auto& s = req.params.at("fileId");
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0)
    throw Error(Errc::not_found, "file " + s + " not found", "file ids are positive numbers from `tseeder files`");
  return id;
}

}  // namespace

namespace {

Reply file_list(const std::vector<jobs::JobFile>& files) {
  Json list = Json::array();
  for (const auto& f : files) list.push_back(jobs::to_json(f));
  return Reply::json(200, {{"files", list}});
}

}  // namespace

Reply job_files(App& app, Request& req) {
  return file_list(app.jobs->contents(req.who().user, job_id_param(req)));
}

Reply job_files_patch(App& app, Request& req) {
  auto changes = jobs::parse_file_changes(parse_json_object(req.body()));
  return file_list(app.jobs->change_files(req.who().user, job_id_param(req), changes));
}

Reply job_file_content(App& app, Request& req) {
  auto f = app.jobs->file(req.who().user, job_id_param(req), file_id_param(req));
  auto path = app.storage->local_path(f.storage_key);
  struct stat st {};
  if (!path || ::stat(path->c_str(), &st) != 0)
    throw Error(Errc::not_found, "stored data for file " + std::to_string(f.id) + " is missing");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const std::string etag = "\"" + std::to_string(size) + "-" + std::to_string(st.st_mtim.tv_sec) + "." +
                           std::to_string(st.st_mtim.tv_nsec) + "\"";
  ByteRange range{0, size ? size - 1 : 0};
  auto rr = parse_range(req.header(http::field::range), size, range);
  // If-Range with a different validator: the client's partial copy is stale, send everything.
  auto if_range = req.header(http::field::if_range);
  if (rr == RangeResult::partial && !if_range.empty() && if_range != etag) rr = RangeResult::whole;
  if (rr == RangeResult::unsatisfiable) {
    Reply r = error_reply(416, "RANGE_NOT_SATISFIABLE",
                          "requested range is outside the file's " + std::to_string(size) + " bytes");
    r.headers.push_back({"Content-Range", "bytes */" + std::to_string(size)});
    return r;
  }
  Reply r;
  r.content_type = "application/octet-stream";
  r.headers = {{"Accept-Ranges", "bytes"}, {"ETag", etag}, {"Content-Disposition", content_disposition(f.path)}};
  if (rr == RangeResult::partial) {
    r.status = 206;
    r.headers.push_back({"Content-Range", "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) +
                                              "/" + std::to_string(size)});
  } else {
    range = ByteRange{0, size ? size - 1 : 0};
  }
  const std::uint64_t length = size == 0 ? 0 : range.length();
  r.content_length = length;
  r.stream = std::make_shared<FileStream>(path->string(), range.first, length);
  return r;
}

}  // namespace tseeder::daemon::handlers
