// The steps after a download, as plain functions for pipeline workers: they touch files, the
// scanner and the storage backend, never the database.
#pragma once
#include <filesystem>
#include <stop_token>
#include <string>
#include <vector>

#include "model/job.h"

namespace tseeder::plugin {
class Scanner;
}
namespace tseeder::storage {
class StorageBackend;
}

namespace tseeder::jobs {

struct ScanOutcome {
  enum class Kind { clean, infected, error, bad_file } kind = Kind::error;
  std::string detail;  // signature name (infected) or reason (error, bad_file)
  std::string file;    // the file it is about: its stored name (bad_file: as the engine named it)
};

// Scans every file; stops at the first infected one. Without a scanner: error "no scanner".
ScanOutcome scan_download(const plugin::Scanner* scanner, const std::filesystem::path& work_dir,
                          const std::vector<FinishedFile>& files, std::stop_token stop);

struct StoreOutcome {
  bool ok = false;
  std::string error;
  bool retryable = false;
  std::vector<StoredFile> stored;
};

// Stores every file and then metadata.json, which lists `earlier` (what the job stored in an
// earlier round) too. When stopped before the end it removes what it stored, so a cancelled or
// deleted job leaves no objects behind, and no earlier round's object goes.
StoreOutcome store_download(storage::StorageBackend& storage, const Job& job, const std::filesystem::path& work_dir,
                            const std::vector<FinishedFile>& files, std::stop_token stop,
                            const std::vector<StoredFile>& earlier = {});

// The name `f` is stored under: the runner's unique name, else its sanitized path.
std::string stored_name(const FinishedFile& f);

// The engine's path is untrusted: the local file it names must be a regular file (not a
// symlink) that really lies inside the work dir; nullopt otherwise.
std::optional<std::filesystem::path> finished_file_path(const std::filesystem::path& work_dir,
                                                        const std::string& engine_path);

}  // namespace tseeder::jobs
