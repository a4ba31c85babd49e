// Validates the body of POST /jobs into a source the engines are asked about.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/json_util.h"
#include "model/job.h"

namespace tseeder::jobs {

struct JobRequest {
  std::string source_kind;    // "url" | "magnet" | "torrent"
  std::string source;         // the URL or magnet link; empty for "torrent"
  std::string torrent_bytes;  // the decoded .torrent file for "torrent"
  JobOptions options;
  std::optional<std::vector<std::uint32_t>> files;  // wanted file indexes; nullopt = all
  std::optional<std::string> checksum;              // "sha256:<hex>" and the like; URL jobs only
};

inline constexpr std::size_t kMaxTorrentBytes = 4 * 1024 * 1024;

// Exactly one of "url", "magnet" or "torrent" (base64), plus optional "files", "sequential",
// "downloadLimit" and "uploadLimit", and for a URL at most one of "sha256", "sha1" and "md5" (hex). Throws
// Error(Errc::invalid_argument) naming the field for anything malformed.
JobRequest parse_job_request(const Json& body);

}  // namespace tseeder::jobs
