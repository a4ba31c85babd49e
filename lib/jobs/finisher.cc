#include "jobs/finisher.h"

#include <filesystem>

#include "core/path_safety.h"
#include "jobs/pipeline.h"
#include "plugin/plugin_host.h"
#include "plugin/scanner.h"
#include "storage/storage_backend.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

namespace fs = std::filesystem;

Finisher::Finisher(JobLedger& ledger, JobRuns& runs, Recovery& recovery, storage::StorageBackend& storage,
                   plugin::PluginHost& plugins, bool scan_enabled)
    : ledger_(ledger),
      runs_(runs),
      recovery_(recovery),
      storage_(storage),
      plugins_(plugins),
      scan_enabled_(scan_enabled) {}

void Finisher::finish(const Job& job, const std::string& why) {
  auto& jobs = ledger_.jobs();
  if (scan_enabled_ && !job.scan_status) {
    ledger_.transition(job, JobState::scanning, why + "; scanning for viruses");
    start_scan(*jobs.find(job.id));
    return;
  }
  ledger_.transition(job, JobState::uploading, why + "; storing files", std::nullopt, [&] {
    if (!job.scan_status) jobs.set_scan(job.id, "skipped", "turned off by scan.enabled", ledger_.clock().now_ms());
  });
  start_store(*jobs.find(job.id));
}

void Finisher::start_scan(const Job& job) {
  if (runs_.workers().remote(job.id)) return;  // its agent scans and reports on_scanned
  const plugin::Scanner* scanner = plugins_.scanner();
  runs_.pipeline().run(
      job.id,
      [this, scanner, id = job.id, dir = fs::path(runs_.work_dir(job.id)),
       files = *job.downloaded_files](std::stop_token stop) -> std::function<void()> {
        auto outcome = scan_download(scanner, dir, files, stop);
        return [this, id, outcome] { on_scanned(id, outcome); };
      },
      [this, id = job.id](const std::string& what) { recovery_.on_internal_error(id, what); });
}

void Finisher::on_scanned(const JobId& id, const ScanOutcome& outcome) {
  auto& jobs = ledger_.jobs();
  auto job = jobs.find(id);
  if (!job || job->status != JobState::scanning) return;
  using K = ScanOutcome::Kind;
  const auto now = ledger_.clock().now_ms();
  if (outcome.kind == K::bad_file) {
    ledger_.transition(*job, JobState::failed, "scan", outcome.detail + ": '" + outcome.file + "'",
                       [&] { store::QueueRepo(ledger_.db()).ack(id); });
    ledger_.signal_work();
    return;
  }
  const char* status = outcome.kind == K::clean ? "clean" : outcome.kind == K::infected ? "infected" : "error";
  Json data{{"jobId", id.value}, {"scanStatus", status}};
  if (!outcome.detail.empty()) data["detail"] = outcome.detail;
  if (!outcome.file.empty()) data["file"] = sanitize_relative_path(outcome.file);
  ledger_.record_event(id, "scan_result", data, [&] {
    jobs.set_scan(id, status, outcome.detail.empty() ? std::nullopt : std::optional(outcome.detail), now);
  });
  if (outcome.kind == K::infected) {
    // Nothing of an infected download is kept or handed out, and a seeding engine stops sharing it.
    runs_.workers().stop(id);
    runs_.remove_work_dir(id);
    ledger_.transition(*jobs.find(id), JobState::failed, "infected",
                       "infected: " + outcome.detail + " in '" + sanitize_relative_path(outcome.file) +
                           "'; the downloaded files were deleted",
                       [&] {
                         jobs.set_downloaded(id, std::nullopt, now);
                         store::QueueRepo(ledger_.db()).ack(id);
                       });
    ledger_.signal_work();
    return;
  }
  if (outcome.kind == K::error)
    ledger_.record_event(
        id, "warning",
        Json{{"jobId", id.value}, {"message", "the files were not scanned for viruses: " + outcome.detail}});
  ledger_.transition(*jobs.find(id), JobState::uploading,
                     outcome.kind == K::clean ? "scan clean; storing files" : "not scanned; storing files");
  start_store(*jobs.find(id));
}

void Finisher::start_store(const Job& job) {
  if (runs_.workers().remote(job.id)) return;  // its agent uploads and reports on_stored
  runs_.pipeline().run(
      job.id,
      [this, job, dir = fs::path(runs_.work_dir(job.id))](std::stop_token stop) -> std::function<void()> {
        auto outcome = store_download(storage_, job, dir, *job.downloaded_files, stop);
        return [this, id = job.id, outcome = std::move(outcome)] { on_stored(id, outcome); };
      },
      [this, id = job.id](const std::string& what) { recovery_.on_internal_error(id, what); });
}

void Finisher::on_stored(const JobId& id, const StoreOutcome& outcome) {
  auto job = ledger_.jobs().find(id);
  if (!job || job->status != JobState::uploading) return;
  if (!outcome.ok) {
    recovery_.on_failed(id, "storing files failed: " + outcome.error, outcome.retryable);
    return;
  }
  ledger_.transition(*job, JobState::completed, "stored " + std::to_string(outcome.stored.size()) + " file(s)",
                     std::nullopt, [&] { ledger_.keep_files(id, outcome.stored); });
  // A seeding engine still reads the work dir; it goes when seeding ends.
  if (!runs_.workers().running(id)) runs_.remove_work_dir(id);
  ledger_.signal_work();
}

}  // namespace tseeder::jobs
