#include "store/file_repo.h"

#include "core/json_util.h"

namespace tseeder::store {
namespace {

jobs::StoredFile read_file(const Stmt& s) {
  return {s.int64(0), JobId{s.text(1)}, s.text(2), static_cast<std::uint64_t>(s.int64(3)), s.text(4)};
}

constexpr const char* kSelect = "SELECT id, job_id, path, size_bytes, storage_key FROM files ";

}  // namespace

void FileRepo::insert(const jobs::StoredFile& f, std::int64_t now_ms) {
  auto s =
      db_.prepare("INSERT INTO files (job_id, path, size_bytes, storage_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, f.job_id.value).bind(2, f.path).bind(3, static_cast<std::int64_t>(f.size_bytes));
  s.bind(4, f.storage_key).bind(5, now_ms);
  s.run();
}

std::vector<jobs::StoredFile> FileRepo::for_job(const JobId& job) {
  auto s = db_.prepare(std::string(kSelect) + "WHERE job_id = ?1 ORDER BY path");
  s.bind(1, job.value);
  std::vector<jobs::StoredFile> out;
  while (s.step()) out.push_back(read_file(s));
  return out;
}

bool FileRepo::any_for_job(const JobId& job) {
  auto s = db_.prepare("SELECT 1 FROM files WHERE job_id = ?1 LIMIT 1");
  s.bind(1, job.value);
  return s.step();
}

std::vector<jobs::StoredFile> FileRepo::with_paths(const JobId& job, const std::vector<std::string>& paths) {
  // One statement for any number of paths: they come as a JSON array.
  auto s = db_.prepare(std::string(kSelect) + "WHERE job_id = ?1 AND path IN (SELECT value FROM json_each(?2))");
  s.bind(1, job.value).bind(2, Json(paths).dump());
  std::vector<jobs::StoredFile> out;
  while (s.step()) out.push_back(read_file(s));
  return out;
}

std::optional<jobs::StoredFile> FileRepo::find(const JobId& job, std::int64_t file_id) {
  auto s = db_.prepare(std::string(kSelect) + "WHERE job_id = ?1 AND id = ?2");
  s.bind(1, job.value).bind(2, file_id);
  if (!s.step()) return std::nullopt;
  return read_file(s);
}

void FileRepo::remove_for_job(const JobId& job) {
  auto s = db_.prepare("DELETE FROM files WHERE job_id = ?1");
  s.bind(1, job.value);
  s.run();
}

std::int64_t FileRepo::references(const std::string& key) {
  auto s = db_.prepare("SELECT count(*) FROM files WHERE storage_key = ?1");
  s.bind(1, key);
  s.step();
  return s.int64(0);
}

std::vector<std::string> FileRepo::all_keys() {
  auto s = db_.prepare("SELECT DISTINCT storage_key FROM files");
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

std::vector<jobs::StoredFile> FileRepo::remove_key(const std::string& key, std::int64_t before_ms) {
  auto s = db_.prepare(
      "DELETE FROM files WHERE storage_key = ?1 AND created_at < ?2 "
      "RETURNING id, job_id, path, size_bytes, storage_key");
  s.bind(1, key).bind(2, before_ms);
  std::vector<jobs::StoredFile> out;
  while (s.step()) out.push_back(read_file(s));
  return out;
}

}  // namespace tseeder::store
