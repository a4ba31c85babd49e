// One stored file as an HTTP answer: Range, If-Range, ETag and a Content-Disposition that is
// safe for any file name. Used by the owner's content route and by signed download links.
#include <sys/stat.h>

#include <cstdio>

#include "core/error.h"
#include "handlers/file_stream.h"
#include "handlers/handlers.h"
#include "handlers/metered_stream.h"
#include "handlers/zip_stream.h"
#include "http/byte_range.h"
#include "http/http_status.h"

namespace tseeder::daemon::handlers {

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

namespace {
// Object storage serves the bytes itself (Range included): the client is sent there.
constexpr std::int64_t kRedirectLinkTtlS = 300;
// A zip reads two pieces ahead: 1 MiB from local disk, 4 MiB (the most a read may ask) from
// object storage, where each piece is a request (measured: tests/bench/zip_serve.sh).
constexpr std::size_t kLocalPiece = 1 << 20;
constexpr std::size_t kRemotePiece = 4 << 20;
constexpr std::size_t kZipDepth = 2;
}  // namespace

Reply serve_stored_file(FilesApi& api, const jobs::StoredFile& f, const Request& req, const UserId& owner) {
  if (auto url = api.storage.presigned_url(f.storage_key, kRedirectLinkTtlS, content_disposition(f.path))) {
    // Object storage serves the bytes unseen: the whole file counts when the link is handed out.
    api.meter.charge(owner, f.size_bytes);
    Reply r;
    r.status = 302;
    r.headers = {{"Location", *url}, {"Cache-Control", "no-store"}};
    return r;
  }
  auto path = api.storage.local_path(f.storage_key);
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
  auto claim = api.meter.reserve(owner, length);
  r.content_length = length;
  r.stream = std::make_shared<MeteredStream>(std::make_shared<FileStream>(path->string(), range.first, length),
                                             std::move(claim));
  return r;
}

Reply job_zip(FilesApi& api, Request& req) {
  const JobId id = job_id_param(req);
  const auto job = api.jobs.get(req.who().user, id);
  // Files carry the time the job completed: object storage keeps no modification times of ours.
  const std::int64_t mtime_s = job.completed_at_ms.value_or(job.updated_at_ms) / 1000;
  std::vector<storage::ZipEntry> entries;
  std::vector<std::string> keys;
  for (const auto& f : api.jobs.stored_files(req.who().user, id)) {
    // On local disk a missing file is cheap to notice before the answer starts.
    if (!api.storage.remote()) {
      auto path = api.storage.local_path(f.storage_key);
      struct stat st {};
      if (!path || ::stat(path->c_str(), &st) != 0 || static_cast<std::uint64_t>(st.st_size) != f.size_bytes)
        throw Error(Errc::not_found, "stored data for file " + std::to_string(f.id) + " is missing");
    }
    entries.push_back({f.path, f.size_bytes, mtime_s});
    keys.push_back(f.storage_key);
  }
  if (entries.empty())
    throw Error(Errc::conflict, "job " + id.value + " has no stored files yet", "wait until it is completed");
  storage::ZipLayout layout(std::move(entries));
  auto claim = api.meter.reserve(job.user_id, layout.total_size());
  Reply r;
  r.content_type = "application/zip";
  r.headers = {{"Content-Disposition", content_disposition((job.name ? *job.name : id.value) + ".zip")}};
  r.content_length = layout.total_size();
  r.stream = std::make_shared<MeteredStream>(
      std::make_shared<ZipStream>(std::move(layout), std::move(keys), api.reads,
                                  api.storage.remote() ? kRemotePiece : kLocalPiece, kZipDepth),
      std::move(claim));
  return r;
}

}  // namespace tseeder::daemon::handlers
