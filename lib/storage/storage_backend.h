// Where completed files live. Object keys are {userId}/{jobId}/files/{relativePath}, beside
// {userId}/{jobId}/metadata.json. Backends are called from pipeline worker threads.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

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
  // Over the network (slow calls): kept off the event loop.
  virtual bool remote() const = 0;
  // Stores a copy of the finished local file (the source stays: an engine may still seed from
  // it, and a failed upload is retried from it). `relative_path` is untrusted: it is sanitized
  // and can never leave the job's prefix. Throws Error; gives up early once `stop` fires.
  virtual StoredObject put_file(const UserId& user, const JobId& job, const std::string& relative_path,
                                const std::filesystem::path& local_file, std::stop_token stop) = 0;
  // Stores a small document (metadata.json) at {userId}/{jobId}/{name}.
  virtual void put_job_document(const UserId& user, const JobId& job, const std::string& name,
                                const std::string& content) = 0;
  // A local file to serve for `key`, when this backend keeps files on local disk.
  virtual std::optional<std::filesystem::path> local_path(const std::string& key) const = 0;
  // Bytes [offset, offset + length) of a stored object (length at most 4 MiB), from a worker
  // thread. Throws Error: not_found when it is missing or shorter, unavailable when the backend
  // cannot be reached.
  virtual std::string read_range(const std::string& key, std::uint64_t offset, std::size_t length,
                                 std::stop_token stop) const = 0;
  // A URL the backend itself serves `key` from until it expires (object storage); nullopt when
  // the daemon serves the bytes.
  virtual std::optional<std::string> presigned_url(const std::string& key, std::int64_t expires_s,
                                                   const std::string& content_disposition) const {
    (void)key, (void)expires_s, (void)content_disposition;
    return std::nullopt;
  }
  // Removes everything under {userId}/{jobId}/ but the objects in `keep` (keys other jobs of the
  // same content still name).
  virtual void remove_job(const UserId& user, const JobId& job, const std::set<std::string>& keep) = 0;
  // Every object stored (for the orphan sweep); sizes are 0 where the listing does not say.
  virtual std::vector<StoredObject> list_objects() = 0;
  // Removes one object; a missing one is not an error.
  virtual void remove_object(const std::string& key) = 0;
  // One cheap call that shows the backend answers and takes writes (the health view); throws
  // Error saying what is wrong. From a worker thread.
  virtual void check_reachable() const = 0;
};

// The key for a file of a job, or Error(Errc::invalid_argument) if the path cannot be made safe.
std::string object_key(const UserId& user, const JobId& job, const std::string& relative_path);
// The prefix every object of a job starts with: "{userId}/{jobId}/".
std::string job_prefix(const UserId& user, const JobId& job);

}  // namespace tseeder::storage
