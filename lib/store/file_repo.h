// SQL for files: what a completed job stored, and where.
#pragma once
#include <optional>
#include <vector>

#include "jobs/job.h"
#include "store/db.h"

namespace tseeder::store {

class FileRepo {
 public:
  explicit FileRepo(Db& db) : db_(db) {}
  void insert(const jobs::StoredFile& f, std::int64_t now_ms);
  std::vector<jobs::StoredFile> for_job(const JobId& job);
  std::optional<jobs::StoredFile> find(const JobId& job, std::int64_t file_id);

 private:
  Db& db_;
};

}  // namespace tseeder::store
