// A job as stored and as shown to users.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/json_util.h"
#include "core/transfer_progress.h"
#include "model/job_state.h"

namespace tseeder::jobs {

using Progress = TransferProgress;

// What the user chose for a job; changeable while it runs.
struct JobOptions {
  bool sequential = false;
  std::uint64_t download_limit_bps = 0;  // 0 = unlimited
  std::uint64_t upload_limit_bps = 0;
  bool operator==(const JobOptions&) const = default;
};

// A file an engine finished, relative to the job's work dir (untrusted until checked).
struct FinishedFile {
  std::string path;
  std::uint64_t size_bytes = 0;
  std::string name = {};  // stored under this name (sanitized, unique in the job); empty: sanitized path
};

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
  JobOptions options;
  // File indexes chosen before the file list was known; applied when it arrives.
  std::optional<std::vector<std::uint32_t>> initial_files;
  // Set when the engine finished: a failed scan or upload resumes from these files.
  std::optional<std::vector<FinishedFile>> downloaded_files;
  std::optional<std::string> scan_status;  // clean | infected | error | skipped; none before the scan
  std::optional<std::string> scan_detail;  // signature name, or why it could not scan
  std::optional<std::string> error_code;   // with error, for scripts: QUOTA_FILE_SIZE, BLOCKED, …
  std::optional<std::string> content_key;  // names the content across owners (dedup)
  std::optional<JobId> follows;            // shares this job's running download instead of its own
  std::optional<bool> content_private;     // a private torrent; nullopt until its metadata says
  // A URL job's expected digest, "sha256:<hex>", "sha1:<hex>" or "md5:<hex>" (lower case),
  // checked by its engine before the job completes.
  std::optional<std::string> checksum;
};

// One file of a job's content as its metadata listed it.
struct ContentFile {
  std::uint32_t index = 0;
  std::string path;  // relative, sanitized
  std::uint64_t size_bytes = 0;
  std::uint8_t priority = 4;  // 0 = skip, 1 = low, 4 = normal, 7 = high
};

struct StoredFile {
  std::int64_t id = 0;
  JobId job_id;
  std::string path;  // relative, sanitized
  std::uint64_t size_bytes = 0;
  std::string storage_key;
};

// A file as GET /jobs/{id}/files shows it: from the metadata's list, stored or not yet.
struct JobFile {
  std::optional<std::uint32_t> index;  // none for jobs stored before file lists were kept
  std::string path;
  std::uint64_t size_bytes = 0;
  std::uint8_t priority = 4;
  std::optional<std::int64_t> file_id;  // set once stored; names it in /files/{fileId}/content
};

Json to_json(const Job& job);
Json to_json(const JobFile& f);
Json to_json(const Progress& p);
// Milliseconds since the epoch as ISO 8601 in UTC, "2026-11-23T14:05:00Z": times in the API.
std::string iso8601(std::int64_t ms);
// The same, or JSON null for a time that has not come.
Json iso8601_or_null(const std::optional<std::int64_t>& ms);
Json to_json(const StoredFile& f);
Json to_json(const JobOptions& o);

// Priorities by name, as the API shows them.
const char* priority_name(std::uint8_t priority);  // "skip", "low", "normal", "high"
std::optional<std::uint8_t> parse_priority(std::string_view name);

}  // namespace tseeder::jobs
