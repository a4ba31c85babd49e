// POST /jobs and PATCH /jobs/{id}/files bodies: either a valid, bounded request or an Error —
// never a crash or another exception.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "core/json_util.h"
#include "jobs/job_options.h"
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
    if (req.files && (req.files->empty() || !std::is_sorted(req.files->begin(), req.files->end()))) std::abort();
  } catch (const tseeder::Error&) {
  }
  try {
    for (const auto& c : tseeder::jobs::parse_file_changes(tseeder::parse_json_object(body))) {
      if (!c.wanted && !c.priority) std::abort();
      if (c.priority && *c.priority > 7) std::abort();
    }
  } catch (const tseeder::Error&) {
  }
  return 0;
}
