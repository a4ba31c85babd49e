#include "jobs/job_runs.h"

#include <filesystem>

#include "core/ids.h"
#include "jobs/more_files.h"
#include "jobs/pipeline.h"
#include "store/content_repo.h"

namespace tseeder::jobs {
namespace {

// Work dirs on their way out: not job ids, so nothing takes them for a job's.
constexpr const char* kRemovingPrefix = ".removing-";

}  // namespace

JobRuns::JobRuns(Workers& workers, Pipeline& pipeline, ServicePaths paths, store::Db& db,
                 const plugin::PluginHost& plugins)
    : workers_(workers), pipeline_(pipeline), paths_(std::move(paths)), db_(db), plugins_(plugins) {}

std::string JobRuns::work_dir(const JobId& id) const {
  return paths_.downloads_dir + "/" + id.value;
}

std::string JobRuns::torrent_path(const JobId& id) const {
  return paths_.torrents_dir + "/" + id.value + ".torrent";
}

void JobRuns::stop(const JobId& id) {
  workers_.stop(id);
  pipeline_.stop(id);
}

void JobRuns::discard(const JobId& id) {
  stop(id);
  remove_work_dir(id);
}

// Deleting files frees their blocks, and on a disk mounted with `discard` each free waits for the
// device (6-35 ms seen on the event loop, fifty at once when many downloads end together). The
// dir is renamed aside here, so a new run of the job starts clean, and deleted on a worker.
void JobRuns::remove_work_dir(const JobId& id) {
  std::error_code ec;
  const std::string dir = work_dir(id);
  if (!std::filesystem::exists(dir, ec)) return;
  for (const auto* engine : plugins_.engines()) engine->forget(id.value, dir);
  const std::string aside = paths_.downloads_dir + "/" + kRemovingPrefix + id.value + "-" + random_hex_id(4);
  std::filesystem::rename(dir, aside, ec);
  if (ec) {
    std::filesystem::remove_all(dir, ec);
    return;
  }
  delete_later(aside);
}

void JobRuns::delete_later(const std::string& path) {
  pipeline_.detach(
      [path] {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
      },
      [](const std::string&) {});
}

// What a stop left renamed aside but not yet deleted.
void JobRuns::remove_leftovers() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(paths_.downloads_dir, ec))
    if (entry.path().filename().string().starts_with(kRemovingPrefix)) delete_later(entry.path().string());
}

std::vector<JobId> JobRuns::work_dir_ids() const {
  std::vector<JobId> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(paths_.downloads_dir, ec))
    if (entry.is_directory(ec) && looks_like_id(entry.path().filename().string()))
      out.push_back(JobId{entry.path().filename().string()});
  return out;
}

plugin::JobSettings JobRuns::settings_for(const Job& job) {
  plugin::JobSettings s;
  s.sequential = job.options.sequential;
  s.download_limit_bps = job.options.download_limit_bps;
  s.upload_limit_bps = job.options.upload_limit_bps;
  s.checksum = job.checksum.value_or("");
  auto listed = store::ContentRepo(db_).for_job(job.id);
  // A further round fetches only what the job has not stored; a seeding job keeps its choice.
  if (job.status != JobState::completed) listed = without_stored(db_, job.id, std::move(listed));
  // Until the file list is known and accepted (plan limits), the engine fetches nothing.
  s.hold_after_metadata = listed.empty();
  if (!listed.empty()) {
    for (const auto& c : listed) s.file_priorities.push_back(c.priority);
  } else if (job.initial_files && !job.initial_files->empty()) {
    // Chosen before the file list was known: the engine applies it when the list arrives.
    s.file_priorities.assign(job.initial_files->back() + 1, TSEEDER_PRIORITY_SKIP);
    for (auto i : *job.initial_files) s.file_priorities[i] = TSEEDER_PRIORITY_NORMAL;
    s.default_priority = TSEEDER_PRIORITY_SKIP;
  }
  return s;
}

}  // namespace tseeder::jobs
