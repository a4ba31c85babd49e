#include "jobs/recovery.h"

#include <random>

#include "store/dead_letter_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

namespace {
constexpr const char* kRecovered = "daemon restarted; resuming";
}

Recovery::Recovery(JobLedger& ledger, JobRuns& runs, queue::RetryPolicy retry, Report report)
    : ledger_(ledger), runs_(runs), retry_(retry), report_(std::move(report)) {}

void Recovery::on_failed(const JobId& id, const std::string& reason, bool retryable) {
  auto job = ledger_.jobs().find(id);
  if (!job || !is_running(job->status)) return;
  runs_.stop(id);
  store::QueueRepo queue(ledger_.db());
  auto msg = queue.find(id);
  const int failures = static_cast<int>(msg ? msg->attempts + 1 : 1);
  const auto now = ledger_.clock().now_ms();
  if (retryable && retry_.may_retry(failures)) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    const auto delay = retry_.delay_ms(failures, std::uniform_real_distribution<double>(0, 1)(rng));
    ledger_.transition(*job, JobState::queued,
                       "attempt " + std::to_string(failures) + " failed: " + reason + "; retrying in " +
                           (delay >= 1000 ? std::to_string(delay / 1000) + " s" : std::to_string(delay) + " ms"),
                       std::nullopt, [&] { queue.release(id, now + delay, true, reason); });
  } else if (retryable) {
    ledger_.transition(*job, JobState::failed, "retries exhausted after " + std::to_string(failures) + " attempts",
                       reason, [&] {
                         queue.ack(id);
                         store::DeadLetterRepo(ledger_.db()).add(id, failures, reason, now);
                       });
  } else {
    ledger_.transition(*job, JobState::failed, "failed", reason, [&] { queue.ack(id); });
  }
  ledger_.signal_work();
}

void Recovery::refuse(const Job& job, const Error& why) {
  runs_.discard(job.id);
  ledger_.transition(job, JobState::failed, std::string(errc_name(why.code())), why.what(), [&] {
    ledger_.jobs().set_error_code(job.id, std::string(errc_name(why.code())));
    ledger_.jobs().set_downloaded(job.id, std::nullopt, ledger_.clock().now_ms());
    store::QueueRepo(ledger_.db()).ack(job.id);
  });
  ledger_.signal_work();
}

void Recovery::report(const JobId& id, const std::string& what) noexcept {
  try {
    if (report_) report_(id, what);
  } catch (...) {
    // Nowhere left to say it.
  }
}

void Recovery::on_internal_error(const JobId& id, const std::string& what) noexcept {
  report(id, what);
  try {
    auto job = ledger_.jobs().find(id);
    if (!job || is_terminal(job->status) || job->status == JobState::failed) return;
    runs_.stop(id);
    // Its partial data stays: a retry resumes from it once whatever went wrong is mended.
    ledger_.transition(*job, JobState::failed, "internal error",
                       "internal error: " + what +
                           "; the job was stopped, the daemon goes on (retry it, and tell the "
                           "operator if it fails again)",
                       [&] {
                         ledger_.jobs().set_error_code(id, "INTERNAL");
                         store::QueueRepo(ledger_.db()).ack(id);
                       });
    ledger_.signal_work();
  } catch (const std::exception& e) {
    report(id, std::string("the job could not be marked failed either: ") + e.what());
  } catch (...) {
    report(id, "the job could not be marked failed either");
  }
}

void Recovery::guarded(const JobId& id, const std::function<void()>& work) noexcept {
  try {
    work();
  } catch (const std::exception& e) {
    on_internal_error(id, e.what());
  } catch (...) {
    on_internal_error(id, "unknown error");
  }
}

int Recovery::recover(const std::string& node) {
  store::QueueRepo queue(ledger_.db());
  auto& jobs = ledger_.jobs();
  queue.clear_leases(node);
  runs_.remove_leftovers();
  int n = 0;
  for (const auto& listed : jobs.in_states(kRunningStates)) {
    auto job = jobs.find(listed.id);  // a follower is queued already when its leader went first
    if (!job || !is_running(job->status) || runs_.workers().remote(job->id)) continue;
    n += recover_job(*job, queue) ? 1 : 0;
  }
  return n;  // completed jobs' work dirs: JobFlow::resume_seeding
}

int Recovery::enqueue_missing(const std::vector<JobId>& ids) {
  store::QueueRepo queue(ledger_.db());
  const auto now = ledger_.clock().now_ms();
  int n = 0;
  for (const auto& id : ids) {
    auto job = ledger_.jobs().find(id);
    if (!job || !(job->status == JobState::submitted || job->status == JobState::queued) || queue.find(id)) continue;
    queue.enqueue(id, ledger_.idempotency_key(*job), now, now);
    ++n;
  }
  return n;
}

bool Recovery::recover_job(const Job& job, store::QueueRepo& queue) {
  const Json here{{"bytesDone", job.progress.bytes_done}};
  // The last recovery's event says where that unclean stop found the job.
  std::optional<Json> last;
  for (std::int64_t seq = 0;;) {
    const auto page = ledger_.events_after(job.id, seq);
    for (const auto& e : page) {
      if (e.type != "status") continue;
      auto data = Json::parse(e.data, nullptr, false);
      if (data.is_object() && data.value("reason", "") == kRecovered) last = std::move(data);
    }
    if (page.size() < 1000) break;
    seq = page.back().seq;
  }
  const std::string step(to_string(job.status));
  if (last && last->value("from", "") == step && last->value("bytesDone", Json()) == here["bytesDone"]) {
    ledger_.transition(job, JobState::failed, "stopped twice",
                       "the daemon stopped unexpectedly twice while this job was " + step +
                           ", with no progress in between; it is not resumed again on its own (retry it, and tell "
                           "the operator if it happens again)",
                       [&] {
                         ledger_.jobs().set_error_code(job.id, "INTERNAL");
                         queue.ack(job.id);
                       });
    report(job.id, "not resumed: the daemon stopped twice while it was " + step);
    return false;
  }
  const auto now = ledger_.clock().now_ms();
  ledger_.transition(
      job, JobState::queued, kRecovered, std::nullopt,
      [&] { queue.enqueue(job.id, ledger_.idempotency_key(job), now, now); }, here);
  return true;
}

}  // namespace tseeder::jobs
