#include "store/content_repo.h"

namespace tseeder::store {

void ContentRepo::replace(const JobId& job, const std::vector<jobs::ContentFile>& files) {
  auto del = db_.prepare("DELETE FROM job_contents WHERE job_id = ?1");
  del.bind(1, job.value);
  del.run();
  auto ins =
      db_.prepare("INSERT INTO job_contents (job_id, idx, path, size_bytes, priority) VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const auto& f : files) {
    ins.reset();
    ins.bind(1, job.value).bind(2, static_cast<std::int64_t>(f.index)).bind(3, f.path);
    ins.bind(4, static_cast<std::int64_t>(f.size_bytes)).bind(5, static_cast<std::int64_t>(f.priority));
    ins.run();
  }
}

namespace {

std::vector<jobs::ContentFile> read_files(Stmt& s) {
  std::vector<jobs::ContentFile> out;
  while (s.step())
    out.push_back({static_cast<std::uint32_t>(s.int64(0)), s.text(1), static_cast<std::uint64_t>(s.int64(2)),
                   static_cast<std::uint8_t>(s.int64(3))});
  return out;
}

}  // namespace

std::vector<jobs::ContentFile> ContentRepo::for_job(const JobId& job) {
  auto s = db_.prepare("SELECT idx, path, size_bytes, priority FROM job_contents WHERE job_id = ?1 ORDER BY idx");
  s.bind(1, job.value);
  return read_files(s);
}

std::vector<jobs::ContentFile> ContentRepo::page(const JobId& job, std::int64_t after, int limit) {
  auto s = db_.prepare(
      "SELECT idx, path, size_bytes, priority FROM job_contents WHERE job_id = ?1 AND idx > ?2 ORDER BY idx LIMIT ?3");
  s.bind(1, job.value).bind(2, after).bind(3, static_cast<std::int64_t>(limit));
  return read_files(s);
}

void ContentRepo::set_priority(const JobId& job, std::uint32_t index, std::uint8_t priority) {
  auto s = db_.prepare("UPDATE job_contents SET priority = ?3 WHERE job_id = ?1 AND idx = ?2");
  s.bind(1, job.value).bind(2, static_cast<std::int64_t>(index)).bind(3, static_cast<std::int64_t>(priority));
  s.run();
}

}  // namespace tseeder::store
