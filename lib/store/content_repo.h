// SQL for job_contents: a job's file list from its metadata and each file's priority.
#pragma once
#include <vector>

#include "model/job.h"
#include "store/db.h"

namespace tseeder::store {

class ContentRepo {
 public:
  explicit ContentRepo(Db& db) : db_(db) {}
  // Replaces the job's list (a restart may deliver the metadata again).
  void replace(const JobId& job, const std::vector<jobs::ContentFile>& files);
  std::vector<jobs::ContentFile> for_job(const JobId& job);
  // Up to `limit` files by index, those after index `after` (-1: from the first).
  std::vector<jobs::ContentFile> page(const JobId& job, std::int64_t after, int limit);
  void set_priority(const JobId& job, std::uint32_t index, std::uint8_t priority);

 private:
  Db& db_;
};

}  // namespace tseeder::store
