// POST /jobs bodies: either a valid, bounded request or an Error — never a crash or another exception.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "core/json_util.h"
#include "jobs/job_source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  try {
    auto req = tseeder::jobs::parse_job_request(tseeder::parse_json_object(body));
    if (req.source_kind == "torrent") {
      if (req.torrent_bytes.empty() || req.torrent_bytes.size() > tseeder::jobs::kMaxTorrentBytes) std::abort();
    } else if (req.source.empty() || req.source.size() > 16384) {
      std::abort();
    }
  } catch (const tseeder::Error&) {
  }
  return 0;
}
