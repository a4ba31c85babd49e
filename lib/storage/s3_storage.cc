#include "storage/s3_storage.h"

#include <chrono>

#include "core/error.h"

namespace tseeder::storage {

StoredObject S3Storage::put_file(const UserId& user, const JobId& job, const std::string& relative_path,
                                 const std::filesystem::path& local_file, std::stop_token stop) {
  const std::string key = object_key(user, job, relative_path);
  return {key, client_.upload_file(key, local_file.string(), stop)};
}

void S3Storage::put_job_document(const UserId& user, const JobId& job, const std::string& name,
                                 const std::string& content) {
  // Only names of our own (metadata.json) come here; keep them plain all the same.
  if (name.empty() || name.find('/') != std::string::npos || name.starts_with("."))
    throw Error(Errc::invalid_argument, "storage: document name '" + name + "' is not usable");
  client_.put_bytes(job_prefix(user, job) + name, content, "application/json");
}

std::optional<std::string> S3Storage::presigned_url(const std::string& key, std::int64_t expires_s,
                                                    const std::string& content_disposition) const {
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return client_.presigned_get(key, expires_s, content_disposition, now);
}

std::string S3Storage::read_range(const std::string& key, std::uint64_t offset, std::size_t length,
                                  std::stop_token stop) const {
  return client_.get_range(key, offset, length, stop);
}

void S3Storage::remove_job(const UserId& user, const JobId& job, const std::set<std::string>& keep) {
  const auto prefix = job_prefix(user, job);
  if (keep.empty()) return client_.remove_prefix(prefix);
  for (const auto& key : client_.list_keys(prefix))
    if (!keep.count(key)) client_.remove_key(key);
}

std::vector<StoredObject> S3Storage::list_objects() {
  std::vector<StoredObject> out;
  for (auto& key : client_.list_keys("")) out.push_back({std::move(key), 0});
  return out;
}

void S3Storage::remove_object(const std::string& key) {
  client_.remove_key(key);  // S3 answers 204 for a missing key too
}

}  // namespace tseeder::storage
