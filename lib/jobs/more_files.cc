#include "jobs/more_files.h"

#include <set>

#include "store/content_repo.h"
#include "store/event_repo.h"
#include "store/file_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

namespace {

// The scan status the job had when its latest round began.
ScanState scan_before_round(store::Db& db, const JobId& id) {
  const auto last = store::EventRepo(db).latest(id, "reopened", 1);
  if (last.empty()) return {};
  const Json data = Json::parse(last.front().data, nullptr, false);
  auto text = [&](const char* key) -> std::optional<std::string> {
    const Json v = data.is_object() ? data.value(key, Json()) : Json();
    return v.is_string() ? std::optional(v.get<std::string>()) : std::nullopt;
  };
  return {text("scanBefore"), text("scanDetailBefore")};
}

int rank(const std::optional<std::string>& status) {
  if (!status || *status == "clean") return 0;
  return *status == "skipped" ? 1 : 2;
}

}  // namespace

bool has_stored_files(store::Db& db, const JobId& id) {
  return store::FileRepo(db).any_for_job(id);
}

std::set<std::string> stored_paths(store::Db& db, const JobId& id) {
  std::set<std::string> out;
  for (const auto& f : store::FileRepo(db).for_job(id)) out.insert(f.path);
  return out;
}

std::vector<ContentFile> skip_stored(std::vector<ContentFile> listed, const std::set<std::string>& stored) {
  if (stored.empty()) return listed;
  for (auto& c : listed)
    if (stored.count(c.path)) c.priority = TSEEDER_PRIORITY_SKIP;
  return listed;
}

std::vector<ContentFile> without_stored(store::Db& db, const JobId& id, std::vector<ContentFile> listed) {
  return skip_stored(std::move(listed), stored_paths(db, id));
}

ScanState combined_scan(store::Db& db, const JobId& id, const ScanState& now) {
  if (!has_stored_files(db, id)) return now;
  const auto before = scan_before_round(db, id);
  return rank(before.status) > rank(now.status) ? before : now;
}

bool MoreFiles::reopen(const Job& job, const std::vector<ContentFile>& listed) {
  auto& db = ledger_.db();
  Json indexes = Json::array();
  std::uint64_t bytes = 0;
  for (const auto& c : without_stored(db, job.id, listed)) {
    if (c.priority == 0) continue;
    indexes.push_back(c.index);
    bytes += c.size_bytes;
  }
  if (indexes.empty()) return false;
  // The next round starts from nothing: what it needs is not in the seeding copy anyway.
  runs_.discard(job.id);
  Json data{{"jobId", job.id.value}, {"files", indexes}, {"bytes", bytes}, {"scanBefore", or_null(job.scan_status)}};
  if (job.scan_detail) data["scanDetailBefore"] = *job.scan_detail;
  ledger_.record_event(job.id, "reopened", data);
  const auto n = std::to_string(indexes.size());
  ledger_.transition(job, JobState::queued, n + " more file(s) selected; fetching them, the stored files stay",
                     std::nullopt, [&] {
                       const auto now = ledger_.clock().now_ms();
                       auto& jobs = ledger_.jobs();
                       Progress fresh;
                       fresh.bytes_total = bytes;
                       fresh.bytes_uploaded = job.progress.bytes_uploaded;
                       jobs.set_progress(job.id, fresh, now);
                       jobs.set_scan(job.id, std::nullopt, std::nullopt, now);
                       jobs.set_downloaded(job.id, std::nullopt, now);
                       store::QueueRepo(db).enqueue(job.id, ledger_.idempotency_key(job), now, now);
                     });
  ledger_.signal_work();
  return true;
}

void MoreFiles::settle(const Job& job, const std::string& reason) {
  auto& db = ledger_.db();
  runs_.discard(job.id);
  store::ContentRepo contents(db);
  const auto stored = stored_paths(db, job.id);
  const auto scan = scan_before_round(db, job.id);
  ledger_.transition(job, JobState::completed, reason, std::nullopt, [&] {
    for (const auto& c : contents.for_job(job.id))
      if (c.priority > 0 && !stored.count(c.path)) contents.set_priority(job.id, c.index, TSEEDER_PRIORITY_SKIP);
    ledger_.keep_files(job.id, {});  // nothing new: progress back to what it stored
    ledger_.jobs().set_scan(job.id, scan.status, scan.detail, ledger_.clock().now_ms());
  });
  ledger_.signal_work();
}

}  // namespace tseeder::jobs
