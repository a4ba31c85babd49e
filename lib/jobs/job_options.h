// Reading what users choose for a job: its options (order, rate limits) and which files it
// fetches, from POST /jobs, PATCH /jobs/{id} and PATCH /jobs/{id}/files bodies.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/json_util.h"
#include "model/job.h"

namespace tseeder::jobs {

inline constexpr std::uint64_t kMaxRateBps = 1ULL << 40;  // 1 TiB/s: "no limit" is 0, not a huge number
inline constexpr std::uint64_t kMaxFileIndex = 10'000'000;
inline constexpr std::size_t kMaxFileChanges = 100'000;

// "sequential", "downloadLimit" and "uploadLimit" found in `body`, applied over `base`.
JobOptions apply_options(const Json& body, JobOptions base);

// A non-empty list of distinct file indexes, returned sorted. `field` names it in errors.
std::vector<std::uint32_t> parse_file_indexes(const Json& v, const char* field);

struct FileChange {
  std::uint32_t index = 0;
  std::optional<bool> wanted;
  std::optional<std::uint8_t> priority;  // low/normal/high on libtorrent's scale
};

// {"files": [{"index": 0, "wanted": false}, {"index": 3, "priority": "high"}, …]}
std::vector<FileChange> parse_file_changes(const Json& body);

// The priority a file ends with after `change`.
std::uint8_t apply_change(std::uint8_t current, const FileChange& change);

}  // namespace tseeder::jobs
