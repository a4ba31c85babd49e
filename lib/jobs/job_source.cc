#include "jobs/job_source.h"

#include <cctype>
#include <utility>

#include "core/base64.h"
#include "core/digest.h"
#include "core/error.h"
#include "jobs/job_options.h"

namespace tseeder::jobs {

namespace {

constexpr std::size_t kMaxUrlBytes = 8192;
constexpr std::size_t kMaxMagnetBytes = 16384;

void check_text(const std::string& v, const char* field, std::size_t max) {
  if (v.empty()) throw Error(Errc::invalid_argument, std::string("field '") + field + "' is empty", {}, field);
  if (v.size() > max)
    throw Error(Errc::invalid_argument,
                std::string("field '") + field + "' is longer than " + std::to_string(max) + " bytes", {}, field);
  for (unsigned char c : v)
    if (c <= 0x20 || c == 0x7f)
      throw Error(Errc::invalid_argument, std::string("field '") + field + "' contains spaces or control characters",
                  "percent-encode them", field);
}

JobRequest parse_source_fields(const Json& body) {
  auto url = optional_string(body, "url");
  auto magnet = optional_string(body, "magnet");
  auto torrent = optional_string(body, "torrent");
  int given = (url ? 1 : 0) + (magnet ? 1 : 0) + (torrent ? 1 : 0);
  if (given == 0)
    throw Error(Errc::invalid_argument, "field 'url' is required",
                "send {\"url\": \"https://…\"}, {\"magnet\": \"magnet:?…\"} or {\"torrent\": \"<base64>\"}", "url");
  if (given > 1) throw Error(Errc::invalid_argument, "send only one of 'url', 'magnet' and 'torrent'");
  if (url) {
    check_text(*url, "url", kMaxUrlBytes);
    auto colon = url->find("://");
    if (colon == std::string::npos || colon == 0)
      throw Error(Errc::invalid_argument, "field 'url' is not an absolute URL", {}, "url");
    return {"url", *url, {}, {}, {}, {}};
  }
  if (magnet) {
    check_text(*magnet, "magnet", kMaxMagnetBytes);
    if (magnet->rfind("magnet:?", 0) != 0)
      throw Error(Errc::invalid_argument, "field 'magnet' must start with 'magnet:?'", {}, "magnet");
    return {"magnet", *magnet, {}, {}, {}, {}};
  }
  auto bytes = decode_base64(*torrent);
  if (!bytes) throw Error(Errc::invalid_argument, "field 'torrent' is not valid base64", {}, "torrent");
  if (bytes->empty()) throw Error(Errc::invalid_argument, "field 'torrent' is empty", {}, "torrent");
  if (bytes->size() > kMaxTorrentBytes)
    throw Error(Errc::invalid_argument, "the .torrent file is larger than 4 MiB", {}, "torrent");
  return {"torrent", {}, std::move(*bytes), {}, {}, {}};
}

}  // namespace

JobRequest parse_job_request(const Json& body) {
  reject_unknown_fields(body, {"url", "magnet", "torrent", "files", "sequential", "downloadLimit", "uploadLimit",
                               "sha256", "sha1", "md5"});
  JobRequest req = parse_source_fields(body);
  for (const auto& [algo, hex_digits] : {std::pair{"sha256", 64u}, std::pair{"sha1", 40u}, std::pair{"md5", 32u}}) {
    auto digest = optional_string(body, algo);
    if (!digest) continue;
    if (req.checksum) throw Error(Errc::invalid_argument, "give one checksum: sha256, sha1 or md5", {}, algo);
    if (req.source_kind != "url")
      throw Error(Errc::invalid_argument, std::string("field '") + algo + "' is for URL jobs",
                  "a torrent's pieces are checked against its own hashes", algo);
    std::string hex = *digest;
    for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!is_lower_hex(hex, hex_digits))
      throw Error(Errc::invalid_argument,
                  std::string("field '") + algo + "' must be " + std::to_string(hex_digits) + " hex digits", {}, algo);
    req.checksum = std::string(algo) + ":" + hex;
  }
  req.options = apply_options(body, {});
  if (auto it = body.find("files"); it != body.end() && !it->is_null()) req.files = parse_file_indexes(*it, "files");
  return req;
}

}  // namespace tseeder::jobs
