// A job as stored and as shown to users.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"
#include "core/json_util.h"
#include "core/transfer_progress.h"
#include "jobs/job_state.h"

namespace tseeder::jobs {

using Progress = TransferProgress;

struct Job {
  JobId id;
  UserId user_id;
  std::string source_kind;  // "url" (magnet, torrent later)
  std::string source;
  std::optional<std::string> engine;
  std::optional<std::string> infohash;
  std::optional<std::string> name;
  JobState status = JobState::submitted;
  Progress progress;
  std::optional<std::string> error;
  std::int64_t last_seq = 0;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::optional<std::int64_t> completed_at_ms;
};

struct StoredFile {
  std::int64_t id = 0;
  JobId job_id;
  std::string path;  // relative, sanitized
  std::uint64_t size_bytes = 0;
  std::string storage_key;
};

Json to_json(const Job& job);
Json to_json(const Progress& p);
Json to_json(const StoredFile& f);

}  // namespace tseeder::jobs
