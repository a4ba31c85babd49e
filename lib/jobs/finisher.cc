#include "jobs/finisher.h"

#include <filesystem>

#include "core/path_safety.h"
#include "core/process_counters.h"
#include "jobs/more_files.h"
#include "jobs/pipeline.h"
#include "plugin/plugin_host.h"
#include "plugin/scanner.h"
#include "storage/storage_backend.h"
#include "store/file_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

namespace fs = std::filesystem;

Finisher::Finisher(JobLedger& ledger, JobRuns& runs, Recovery& recovery, storage::StorageBackend& storage,
                   plugin::PluginHost& plugins, bool scan_enabled)
    : ledger_(ledger),
      runs_(runs),
      more_(ledger, runs),
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
    if (job.scan_status) return;
    const auto scan = combined_scan(ledger_.db(), job.id, {"skipped", "turned off by scan.enabled"});
    jobs.set_scan(job.id, scan.status, scan.detail, ledger_.clock().now_ms());
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
  auto& counted = process_counters();
  ++(outcome.kind == K::clean      ? counted.scans_clean
     : outcome.kind == K::infected ? counted.scans_infected
                                   : counted.scans_error);
  Json data{{"jobId", id.value}, {"scanStatus", status}};
  if (!outcome.detail.empty()) data["detail"] = outcome.detail;
  if (!outcome.file.empty()) data["file"] = sanitize_relative_path(outcome.file);
  const bool further_round = has_stored_files(ledger_.db(), id);
  const auto scan =
      combined_scan(ledger_.db(), id, {status, outcome.detail.empty() ? std::nullopt : std::optional(outcome.detail)});
  ledger_.record_event(id, "scan_result", data, [&] {
    if (outcome.kind != K::infected || !further_round) jobs.set_scan(id, scan.status, scan.detail, now);
  });
  if (outcome.kind == K::infected && further_round) {
    // The files stored before were scanned on their own: they stay, the infected round goes.
    more_.settle(*jobs.find(id), "infected: " + outcome.detail + " in '" + sanitize_relative_path(outcome.file) +
                                     "'; the files selected later were deleted, the stored files stay");
    return;
  }
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
      [this, job, dir = fs::path(runs_.work_dir(job.id)),
       earlier = store::FileRepo(ledger_.db()).for_job(job.id)](std::stop_token stop) -> std::function<void()> {
        auto outcome = store_download(storage_, job, dir, *job.downloaded_files, stop, earlier);
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
