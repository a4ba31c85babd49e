#include "jobs/finishing.h"

#include <set>

#include "core/error.h"
#include "core/path_safety.h"
#include "plugin/scanner.h"
#include "storage/storage_backend.h"

namespace tseeder::jobs {

namespace fs = std::filesystem;

std::string stored_name(const FinishedFile& f) {
  return sanitize_relative_path(f.name.empty() ? f.path : f.name);
}

std::optional<fs::path> finished_file_path(const fs::path& work_dir, const std::string& engine_path) {
  auto local = join_inside(work_dir, engine_path);
  if (!local) return std::nullopt;
  std::error_code ec;
  if (fs::symlink_status(*local, ec).type() != fs::file_type::regular) return std::nullopt;
  const auto real_dir = fs::canonical(work_dir, ec);
  if (ec) return std::nullopt;
  const auto real_file = fs::canonical(*local, ec);
  if (ec) return std::nullopt;
  auto rel = real_file.lexically_relative(real_dir);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  return local;
}

ScanOutcome scan_download(const plugin::Scanner* scanner, const fs::path& work_dir,
                          const std::vector<FinishedFile>& files, std::stop_token stop) {
  ScanOutcome worst{ScanOutcome::Kind::clean, "", ""};
  for (const auto& f : files) {
    auto local = finished_file_path(work_dir, f.path);
    if (!local) return {ScanOutcome::Kind::bad_file, "engine reported a file that is not in the job directory", f.path};
    if (!scanner) return {ScanOutcome::Kind::error, "no virus scanner plugin is loaded", ""};
    if (stop.stop_requested()) return {ScanOutcome::Kind::error, "stopped", ""};
    auto verdict = scanner->scan(local->string());
    using K = plugin::ScanVerdict::Kind;
    if (verdict.kind == K::infected) return {ScanOutcome::Kind::infected, verdict.detail, stored_name(f)};
    if (verdict.kind == K::error && worst.kind == ScanOutcome::Kind::clean)
      worst = {ScanOutcome::Kind::error, scanner->name() + ": " + verdict.detail, stored_name(f)};
  }
  return worst;
}

namespace {

std::string metadata_document(const Job& job, const std::vector<StoredFile>& stored) {
  Json files = Json::array();
  for (const auto& f : stored) files.push_back({{"path", f.path}, {"size", f.size_bytes}, {"key", f.storage_key}});
  Json doc{{"jobId", job.id.value},
           {"userId", job.user_id.value},
           {"name", or_null(job.name)},
           {"sourceKind", job.source_kind},
           {"infohash", or_null(job.infohash)},
           {"scanStatus", or_null(job.scan_status)},
           {"createdAt", to_json(job)["createdAt"]},
           {"files", files}};
  return dump_json(doc);
}

}  // namespace

StoreOutcome store_download(storage::StorageBackend& storage, const Job& job, const fs::path& work_dir,
                            const std::vector<FinishedFile>& files, std::stop_token stop,
                            const std::vector<StoredFile>& earlier) {
  StoreOutcome out;
  std::vector<std::string> attempted;  // keys this call may have written, in part or whole
  auto give_up = [&](std::string why, bool retryable) {
    out.ok = false;
    out.error = std::move(why);
    out.retryable = retryable;
    out.stored.clear();
    return out;
  };
  std::set<std::string> names;
  for (const auto& f : files)
    // Two files under one name would leave only the second: never store over another file.
    if (!names.insert(stored_name(f)).second)
      return give_up("two files would be stored as '" + stored_name(f) + "'", false);
  try {
    for (const auto& f : files) {
      auto local = finished_file_path(work_dir, f.path);
      if (!local) return give_up("engine reported file '" + f.path + "' that is not in the job directory", false);
      const std::string path = stored_name(f);
      attempted.push_back(storage::object_key(job.user_id, job.id, path));
      auto obj = storage.put_file(job.user_id, job.id, path, *local, stop);
      out.stored.push_back({0, job.id, path, obj.size_bytes, obj.key});
      if (stop.stop_requested()) break;
    }
    if (!stop.stop_requested()) {
      auto all = earlier;
      all.insert(all.end(), out.stored.begin(), out.stored.end());
      storage.put_job_document(job.user_id, job.id, "metadata.json", metadata_document(job, all));
    }
  } catch (const Error& e) {
    // Trouble reaching storage passes; a refusal (keys, bucket, bad name) needs someone to act.
    if (!stop.stop_requested())
      return give_up(e.message() + (e.hint().empty() ? "" : " (" + e.hint() + ")"),
                     e.code() == Errc::unavailable || e.code() == Errc::io);
  } catch (const std::exception& e) {
    if (!stop.stop_requested()) return give_up(std::string("storage: ") + e.what(), true);
  }
  if (stop.stop_requested()) {
    try {
      // Only what this call wrote: a job's earlier round may have stored others (on an agent
      // this call does not know them).
      for (const auto& key : attempted) storage.remove_object(key);
    } catch (const std::exception&) {
      // Left for the orphan sweep: objects with no job row.
    }
    return give_up("stopped", false);
  }
  out.ok = true;
  return out;
}

}  // namespace tseeder::jobs
