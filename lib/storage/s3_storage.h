// Storage backend on an S3-compatible bucket: objects {userId}/{jobId}/files/{path} and
// {userId}/{jobId}/metadata.json. Downloads are presigned GETs straight from the bucket.
#pragma once
#include "net/s3_client.h"
#include "storage/storage_backend.h"

namespace tseeder::storage {

class S3Storage final : public StorageBackend {
 public:
  explicit S3Storage(net::S3Settings settings) : client_(std::move(settings)) {}
  std::string name() const override { return "s3"; }
  bool remote() const override { return true; }
  StoredObject put_file(const UserId& user, const JobId& job, const std::string& relative_path,
                        const std::filesystem::path& local_file, std::stop_token stop) override;
  void put_job_document(const UserId& user, const JobId& job, const std::string& name,
                        const std::string& content) override;
  std::optional<std::filesystem::path> local_path(const std::string&) const override { return std::nullopt; }
  std::string read_range(const std::string& key, std::uint64_t offset, std::size_t length,
                         std::stop_token stop) const override;
  std::optional<std::string> presigned_url(const std::string& key, std::int64_t expires_s,
                                           const std::string& content_disposition) const override;
  void remove_job(const UserId& user, const JobId& job, const std::set<std::string>& keep) override;
  std::vector<StoredObject> list_objects() override;
  void remove_object(const std::string& key) override;
  const net::S3Client& client() const { return client_; }
  void check_reachable() const override { client_.check_bucket(); }

 private:
  net::S3Client client_;
};

}  // namespace tseeder::storage
