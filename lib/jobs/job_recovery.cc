// How a job survives what goes wrong around it: restarts after an unclean stop, and errors that
// escape the handling of its events. Part of JobService.
#include "core/error.h"
#include "jobs/job_service.h"
#include "jobs/pipeline.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

int JobService::recover(const std::string& node) {
  store::QueueRepo queue(db_);
  queue.clear_leases(node);
  int n = 0;
  for (const auto& listed : jobs_.in_states(kRunningStates)) {
    auto job = jobs_.find(listed.id);  // a follower is queued already when its leader went first
    if (!job || !is_running(job->status) || (workers_ && workers_->remote(job->id))) continue;
    n += recover_job(*job, queue) ? 1 : 0;
  }
  for (const auto& job : jobs_.in_states({JobState::submitted, JobState::queued}))
    if (!queue.find(job.id)) queue.enqueue(job.id, idempotency_key(job), clock_.now_ms(), clock_.now_ms());
  // Seeding does not outlive the daemon: what a seeding job kept in its work dir is stored already.
  for (const auto& job : jobs_.in_states({JobState::completed})) remove_work_dir(job.id);
  return n;
}

namespace {
constexpr const char* kRecovered = "daemon restarted; resuming";
}

bool JobService::recover_job(const Job& job, store::QueueRepo& queue) {
  const Json here{{"bytesDone", job.progress.bytes_done}};
  // The last recovery's event says where that unclean stop found the job.
  std::optional<Json> last;
  for (std::int64_t seq = 0;;) {
    const auto page = events_.after(job.id, seq);
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
    transition(job, JobState::failed, "stopped twice",
               "the daemon stopped unexpectedly twice while this job was " + step +
                   ", with no progress in between; it is not resumed again on its own (retry it, and tell the "
                   "operator if it happens again)",
               [&] {
                 jobs_.set_error_code(job.id, "INTERNAL");
                 queue.ack(job.id);
               });
    report(job.id, "not resumed: the daemon stopped twice while it was " + step);
    return false;
  }
  transition(
      job, JobState::queued, kRecovered, std::nullopt,
      [&] { queue.enqueue(job.id, idempotency_key(job), clock_.now_ms(), clock_.now_ms()); }, here);
  return true;
}

void JobService::requeue_running(const std::string& reason) {
  // A follower is queued already when its leader went first: requeue skips what no longer runs.
  for (const auto& listed : jobs_.in_states(kRunningStates))
    if (!workers_ || !workers_->remote(listed.id)) requeue(listed.id, reason);
}

void JobService::report(const JobId& id, const std::string& what) noexcept {
  try {
    if (report_) report_(id, what);
  } catch (...) {
    // Nowhere left to say it.
  }
}

void JobService::on_internal_error(const JobId& id, const std::string& what) noexcept {
  report(id, what);
  try {
    auto job = jobs_.find(id);
    if (!job || is_terminal(job->status) || job->status == JobState::failed) return;
    if (workers_) workers_->stop(id);
    if (pipeline_) pipeline_->stop(id);
    // Its partial data stays: a retry resumes from it once whatever went wrong is mended.
    transition(*job, JobState::failed, "internal error",
               "internal error: " + what +
                   "; the job was stopped, the daemon goes on (retry it, and tell the "
                   "operator if it fails again)",
               [&] {
                 jobs_.set_error_code(id, "INTERNAL");
                 store::QueueRepo(db_).ack(id);
               });
    signal_work();
  } catch (const std::exception& e) {
    report(id, std::string("the job could not be marked failed either: ") + e.what());
  } catch (...) {
    report(id, "the job could not be marked failed either");
  }
}

void JobService::guarded(const JobId& id, const std::function<void()>& work) noexcept {
  try {
    work();
  } catch (const std::exception& e) {
    on_internal_error(id, e.what());
  } catch (...) {
    on_internal_error(id, "unknown error");
  }
}

}  // namespace tseeder::jobs
