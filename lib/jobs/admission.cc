#include "jobs/admission.h"

#include "core/units.h"
#include "jobs/more_files.h"
#include "quota/quota.h"
#include "store/blocklist_repo.h"
#include "store/queue_repo.h"
#include "store/usage_repo.h"

namespace tseeder::jobs {

Admission::Admission(JobLedger& ledger, JobRuns& runs, Recovery& recovery, quota::Quota& quota, DiskGuard guard)
    : ledger_(ledger), runs_(runs), recovery_(recovery), quota_(quota), guard_(std::move(guard)) {}

Error Admission::blocked_error() {
  return Error(Errc::blocked, "this content is blocked on this server",
               "ask the operator if you think this is a mistake");
}

bool Admission::blocked(const Job& job) {
  std::vector<std::string> ids;
  if (job.infohash) ids.push_back(*job.infohash);
  if (job.content_key && job.content_key != job.infohash) ids.push_back(*job.content_key);
  return !ids.empty() && store::BlocklistRepo(ledger_.db()).find_any(ids).has_value();
}

void Admission::check_active(const UserId& owner, std::optional<std::uint64_t> known_bytes) {
  quota_.check_admission(owner, known_bytes);
}

std::optional<Error> Admission::over_plan(const UserId& owner, const JobId& id,
                                          const std::vector<ContentFile>& listed) {
  // Files the job stored already count in the account's storage, not again here.
  return quota_.check_content(owner, id, without_stored(ledger_.db(), id, listed));
}

bool Admission::within_plan(const JobId& id, const UserId& owner, const std::vector<ContentFile>& listed) {
  auto over = over_plan(owner, id, listed);
  if (!over) return true;
  recovery_.refuse(*ledger_.jobs().find(id), *over);
  return false;
}

std::optional<std::string> Admission::disk_short(const Job& job) {
  store::UsageRepo usage(ledger_.db());
  const auto own = static_cast<std::uint64_t>(usage.still_to_fetch(job.id));
  const auto others = static_cast<std::uint64_t>(usage.still_coming(job.id));
  const std::uint64_t free = guard_.free_space(runs_.paths().downloads_dir);
  const std::uint64_t reserve = guard_.reserve_bytes;
  if (free >= own + others + reserve) return std::nullopt;
  return "waiting for disk space: " + format_bytes(free) + " free in the download directory, " + format_bytes(reserve) +
         " kept in reserve (downloads.reserve_mib), " + format_bytes(others) + " still coming for running downloads" +
         (own ? ", and this job needs " + format_bytes(own) : std::string());
}

void Admission::wait_in_queue(const Job& job, const std::string& why) {
  runs_.workers().stop(job.id);
  const auto now = ledger_.clock().now_ms();
  // Upserted: a job running longer than its lease may have no message left to release.
  auto release = [&] {
    store::QueueRepo(ledger_.db()).enqueue(job.id, ledger_.idempotency_key(job), now + kRecheckMs, now);
  };
  if (job.status == JobState::queued) {
    // Said once: a job still waiting at its next check adds nothing to its timeline.
    auto last = ledger_.events_after(job.id, job.last_seq - 1);
    if (!last.empty() && last.back().type == "waiting") return release();
    ledger_.record_event(job.id, "waiting", Json{{"jobId", job.id.value}, {"reason", why}}, release);
  } else {
    ledger_.transition(job, JobState::queued, why, std::nullopt, release);
  }
}

void Admission::check_disk() {
  const std::uint64_t free = guard_.free_space(runs_.paths().downloads_dir);
  if (free >= guard_.reserve_bytes) return;  // the usual case, without reading every download
  auto running = ledger_.jobs().in_states({JobState::downloading});
  std::erase_if(running, [](const Job& j) { return j.follows.has_value(); });  // they fetch nothing
  if (running.empty()) return;
  // The newest download steps back first; it resumes from its partial data when space returns.
  wait_in_queue(running.back(), "paused for disk space: " + format_bytes(free) +
                                    " free in the download directory, below the " + format_bytes(guard_.reserve_bytes) +
                                    " reserve (downloads.reserve_mib)");
  ledger_.signal_work();
}

void Admission::on_content_ids(const JobId& id, const std::vector<std::string>& ids, std::optional<bool> is_private) {
  auto& jobs = ledger_.jobs();
  auto job = jobs.find(id);
  if (!job || job->status != JobState::metadata_fetch || ids.empty()) return;
  if (is_private && job->content_private != is_private) jobs.set_content_private(id, *is_private);
  if (store::BlocklistRepo(ledger_.db()).find_any(ids)) {
    recovery_.refuse(*job, blocked_error());
    return;
  }
  // The content's first identity names it from now on: a v2-only magnet of a hybrid torrent is
  // known by its v1 infohash too, a URL by the digest of URL, size and validator.
  if (job->content_key != ids.front()) jobs.set_content_key(id, ids.front());
}

int Admission::stop_blocked(const std::string& infohash) {
  int n = 0;
  for (const auto& listed : ledger_.jobs().with_content(infohash, kActiveStates)) {
    auto job = ledger_.jobs().find(listed.id);  // a follower moved when its leader was refused
    if (!job || !is_active(job->status)) continue;
    recovery_.refuse(*job, blocked_error());
    ++n;
  }
  return n;
}

}  // namespace tseeder::jobs
