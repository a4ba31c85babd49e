// Storage backend on a local directory: files sit at ROOT/{userId}/{jobId}/files/{path}.
#pragma once
#include "storage/storage_backend.h"

namespace tseeder::storage {

class LocalStorage final : public StorageBackend {
 public:
  explicit LocalStorage(std::filesystem::path root);
  void check_reachable() const override;
  std::string name() const override { return "local"; }
  bool remote() const override { return false; }
  StoredObject put_file(const UserId& user, const JobId& job, const std::string& relative_path,
                        const std::filesystem::path& local_file, std::stop_token stop) override;
  void put_job_document(const UserId& user, const JobId& job, const std::string& name,
                        const std::string& content) override;
  std::optional<std::filesystem::path> local_path(const std::string& key) const override;
  std::string read_range(const std::string& key, std::uint64_t offset, std::size_t length,
                         std::stop_token stop) const override;
  void remove_job(const UserId& user, const JobId& job, const std::set<std::string>& keep) override;
  std::vector<StoredObject> list_objects() override;
  void remove_object(const std::string& key) override;

 private:
  std::filesystem::path root_;
};

}  // namespace tseeder::storage
