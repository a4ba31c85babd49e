// A plan's limits, as sold; nullopt means no limit.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace tseeder::quota {

struct Plan {
  std::string id;
  std::string name;
  std::optional<std::int64_t> max_active_jobs;
  std::optional<std::int64_t> storage_bytes;
  std::optional<std::int64_t> max_file_bytes;
  std::optional<std::int64_t> bandwidth_bytes_month;
  std::optional<std::int64_t> retention_days;
  std::optional<std::int64_t> max_sessions;
};

}  // namespace tseeder::quota
