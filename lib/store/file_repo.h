// SQL for files: what a completed job stored, and where.
#pragma once
#include <optional>
#include <vector>

#include "model/job.h"
#include "store/db.h"

namespace tseeder::store {

class FileRepo {
 public:
  explicit FileRepo(Db& db) : db_(db) {}
  void insert(const jobs::StoredFile& f, std::int64_t now_ms);
  std::vector<jobs::StoredFile> for_job(const JobId& job);
  // Whether `job` has stored anything (a completed job fetching more files has).
  bool any_for_job(const JobId& job);
  // The stored files of `job` among `paths` (one page of its file list).
  std::vector<jobs::StoredFile> with_paths(const JobId& job, const std::vector<std::string>& paths);
  std::optional<jobs::StoredFile> find(const JobId& job, std::int64_t file_id);
  void remove_for_job(const JobId& job);
  // How many files rows name `key` (objects are shared between jobs of the same content).
  std::int64_t references(const std::string& key);
  // Every key a files row names.
  std::vector<std::string> all_keys();
  // Drops the rows naming `key` made before `before_ms` (its object is gone); returns them.
  std::vector<jobs::StoredFile> remove_key(const std::string& key, std::int64_t before_ms);

 private:
  Db& db_;
};

}  // namespace tseeder::store
