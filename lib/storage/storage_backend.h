// Where completed files live. Object keys are {userId}/{jobId}/files/{relativePath}.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/ids.h"

namespace tseeder::storage {

struct StoredObject {
  std::string key;
  std::uint64_t size_bytes = 0;
};

class StorageBackend {
 public:
  virtual ~StorageBackend() = default;
  virtual std::string name() const = 0;
  // Takes the finished local file under the job's prefix: moved, or copied when `keep_source`
  // (an engine still seeds from it). `relative_path` is untrusted: it is sanitized and can
  // never leave the job's prefix.
  virtual StoredObject put_file(const UserId& user, const JobId& job, const std::string& relative_path,
                                const std::filesystem::path& local_file, bool keep_source) = 0;
  // A local file to serve for `key`, when this backend keeps files on local disk.
  virtual std::optional<std::filesystem::path> local_path(const std::string& key) const = 0;
  virtual void remove_job(const UserId& user, const JobId& job) = 0;
};

// The key for a file of a job, or Error(Errc::invalid_argument) if the path cannot be made safe.
std::string object_key(const UserId& user, const JobId& job, const std::string& relative_path);

}  // namespace tseeder::storage
