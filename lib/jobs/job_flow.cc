#include "jobs/job_flow.h"

#include <filesystem>

#include "core/path_safety.h"
#include "core/process_counters.h"
#include "jobs/content_list.h"
#include "plugin/plugin_host.h"
#include "store/content_repo.h"
#include "store/event_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

JobFlow::JobFlow(JobLedger& ledger, JobRuns& runs, Recovery& recovery, Admission& admission, Sharing& sharing,
                 Finisher& finisher, plugin::PluginHost& plugins, EngineSink& events)
    : ledger_(ledger),
      runs_(runs),
      recovery_(recovery),
      admission_(admission),
      sharing_(sharing),
      finisher_(finisher),
      plugins_(plugins),
      events_(events) {}

bool JobFlow::dispatch(const JobId& id) {
  auto& jobs = ledger_.jobs();
  auto job = jobs.find(id);
  store::QueueRepo queue(ledger_.db());
  if (!job || !(job->status == JobState::submitted || job->status == JobState::queued)) {
    // A stale message: the job was paused, cancelled or finished meanwhile. One still running
    // (a download longer than its lease, a follower) keeps it for a retry or a wait later on.
    if (!job || !is_running(job->status)) queue.ack(id);
    return false;
  }
  if (sharing_.share_stored(*job)) return false;
  if (!job->downloaded_files && sharing_.may_take_shares(*job)) {
    if (auto leader = jobs.running_content(*job->content_key, id); leader && Sharing::may_share(*leader, *job)) {
      sharing_.follow(*job, *leader);
      return false;
    }
  }
  if (job->downloaded_files) {
    // The download finished before; a failed scan or upload (or a restart) resumes after it.
    std::error_code exists_ec;
    if (std::filesystem::is_directory(runs_.work_dir(id), exists_ec)) {
      finisher_.finish(*job, "resuming after the finished download");
      return true;
    }
    jobs.set_downloaded(id, std::nullopt, ledger_.clock().now_ms());  // its files are gone: download again
    job = jobs.find(id);
  }
  plugin::Engine* engine = job->engine ? plugins_.find_engine(*job->engine) : nullptr;
  if (!engine) {
    std::string why;
    engine = plugins_.engine_for(job->source, why);
    if (!engine) {
      ledger_.transition(*job, JobState::failed, "no engine", "no loaded engine accepts this source: " + why,
                         [&] { queue.ack(id); });
      return false;
    }
    jobs.set_engine(id, engine->name(), ledger_.clock().now_ms());
  }
  auto why = runs_.workers().unable(engine->name());
  if (!why) why = admission_.disk_short(*job);
  if (why) {
    admission_.wait_in_queue(*job, *why);
    return false;
  }
  ledger_.transition(*job, JobState::metadata_fetch, "dispatched to " + engine->name());
  job = jobs.find(id);
  ledger_.db().commit_group();  // the run starts from a state a restart will find
  try {
    runs_.workers().start(*job, *engine, runs_.settings_for(*job), events_);
  } catch (const Error& e) {
    recovery_.on_failed(id, e.message(), true);
    return false;
  }
  return true;
}

void JobFlow::requeue(const JobId& id, const std::string& why) {
  auto job = ledger_.jobs().find(id);
  if (!job || !is_running(job->status)) return;
  runs_.stop(id);
  sharing_.back_to_queue(*job, why);
}

void JobFlow::mark_waiting() {
  auto waiting = ledger_.jobs().in_states({JobState::submitted});
  if (waiting.empty()) return;
  store::Transaction tx(ledger_.db());  // one commit for all of them
  for (const auto& job : waiting) ledger_.transition(job, JobState::queued, "waiting for a free download slot");
  tx.commit();
}

void JobFlow::requeue_running(const std::string& reason) {
  // A follower is queued already when its leader went first: requeue skips what no longer runs.
  for (const auto& listed : ledger_.jobs().in_states(kRunningStates))
    if (!runs_.workers().remote(listed.id)) requeue(listed.id, reason);
}

void JobFlow::reconfigure(const Job& job) {
  if (!runs_.workers().running(job.id)) return;
  try {
    runs_.workers().configure(job.id, runs_.settings_for(job));
  } catch (const Error& e) {
    recovery_.on_failed(job.id, e.message(), true);
  }
}

void JobFlow::on_notice(const JobId& id, const std::string& kind, const std::string& message) {
  const auto job = ledger_.jobs().find(id);
  if (!job || (job->status != JobState::metadata_fetch && job->status != JobState::downloading)) return;
  const bool word =
      !kind.empty() && kind.size() <= 32 && kind.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
  if (!word) return;
  ledger_.record_event(id, "notice", Json{{"jobId", id.value}, {"kind", kind}, {"message", message.substr(0, 500)}});
}

void JobFlow::on_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                          const std::vector<plugin::EngineFile>& files) {
  auto& jobs = ledger_.jobs();
  auto job = jobs.find(id);
  if (!job || job->status != JobState::metadata_fetch) return;
  auto listed = content_list(files, store::ContentRepo(ledger_.db()).for_job(id), job->initial_files);
  if (job->initial_files && !job->initial_files->empty() && job->initial_files->back() >= files.size()) {
    recovery_.on_failed(id,
                        "the job asked for file " + std::to_string(job->initial_files->back()) +
                            " but the content has " + std::to_string(files.size()) + " file(s)",
                        false);
    return;
  }
  ledger_.record_metadata(id, sanitize_relative_path(name), total, listed);
  if (sharing_.share_stored(*job)) return;
  // A URL is known by its content only now; one already past its metadata leads. (Two jobs both
  // in metadata_fetch never follow each other: the first here becomes the leader.)
  if (sharing_.may_take_shares(*job)) {
    if (auto leader = jobs.running_content(*job->content_key, id);
        leader && leader->status != JobState::metadata_fetch && Sharing::may_share(*leader, *job)) {
      runs_.discard(id);
      sharing_.follow(*job, *leader);
      return;
    }
  }
  if (!admission_.within_plan(id, job->user_id, listed)) return;
  if (auto why = admission_.disk_short(*jobs.find(id))) {
    admission_.wait_in_queue(*jobs.find(id), *why);  // still held: nothing was fetched
    return;
  }
  ledger_.transition(*jobs.find(id), JobState::downloading, "metadata received");
  reconfigure(*jobs.find(id));  // releases the engine's hold
}

void JobFlow::on_progress(const JobId& id, const plugin::EngineProgress& p) {
  auto& jobs = ledger_.jobs();
  auto job = jobs.find(id);
  if (job && job->status == JobState::completed) {  // seeding: the share ratio grows
    const auto& was = job->progress;
    // Each seeding torrent reports every second; only a change is worth a write.
    if (p.bytes_uploaded <= was.bytes_uploaded && p.upload_bps == was.upload_bps && p.peers == was.peers &&
        p.seeds == was.seeds)
      return;
    ledger_.db().join_group();
    count_traffic(was, p);
    jobs.set_seeding(id, p);
    return;
  }
  // A remote provider downloads the whole content before its file list is known: its progress
  // (with a size) comes before the metadata. Local engines know no size before it.
  const bool remote_before_metadata = job && job->status == JobState::metadata_fetch && p.bytes_total > 0;
  if (!job || (job->status != JobState::downloading && !remote_before_metadata)) return;
  count_traffic(job->progress, p);  // counted where it is kept: each report once
  ledger_.publish_progress(id, p, job->status);
  for (const auto& f : jobs.followers(id))
    if (f.status == JobState::downloading) ledger_.publish_progress(f.id, p);
}

void JobFlow::count_traffic(const Progress& was, const plugin::EngineProgress& now) {
  // What moved since the last report of this job (a restart resumes from the kept figures).
  auto& c = process_counters();
  if (now.bytes_done > was.bytes_done) c.downloaded_bytes += now.bytes_done - was.bytes_done;
  if (now.bytes_uploaded > was.bytes_uploaded) c.uploaded_bytes += now.bytes_uploaded - was.bytes_uploaded;
}

void JobFlow::on_completed(const JobId& id, const std::vector<plugin::EngineFile>& files, bool seeding) {
  auto& jobs = ledger_.jobs();
  auto job = jobs.find(id);
  if (job && job->status == JobState::completed && runs_.workers().running(id)) {
    // Seeding again after a restart: the files are stored already; only the peers are new.
    runs_.workers().downloaded(id, seeding);
    if (!seeding) runs_.remove_work_dir(id);
    return;
  }
  if (!job || job->status != JobState::downloading) return;
  // The download slot is free either way; a seeding engine keeps only uploading to peers.
  runs_.workers().downloaded(id, seeding);
  if (seeding) ledger_.record_event(id, "seeding_started", Json{{"jobId", id.value}, {"reason", "download complete"}});
  std::vector<FinishedFile> finished;
  for (const auto& f : files) finished.push_back({f.path, f.size_bytes, f.name});
  jobs.set_downloaded(id, finished, ledger_.clock().now_ms());
  finisher_.finish(*jobs.find(id), "download complete");
  ledger_.signal_work();
}

int JobFlow::resume_seeding() {
  int n = 0;
  for (const auto& id : runs_.work_dir_ids()) {
    auto job = ledger_.jobs().find(id);
    if (!job || job->status != JobState::completed || runs_.workers().remote(id)) continue;
    plugin::Engine* engine = job->engine ? plugins_.find_engine(*job->engine) : nullptr;
    // Only a job the last run was seeding: any other work dir is left over from storing.
    store::EventRepo events(ledger_.db());
    const auto started = events.latest(id, "seeding_started", 1), done = events.latest(id, "seeding_done", 1);
    if (!engine || started.empty() || (!done.empty() && done.front().seq > started.front().seq)) {
      runs_.remove_work_dir(id);
      continue;
    }
    try {
      runs_.workers().start(*job, *engine, runs_.settings_for(*job), events_);
      ledger_.record_event(id, "seeding_started", Json{{"jobId", id.value}, {"reason", "daemon restarted"}});
      ++n;
    } catch (const Error& e) {
      // Its files are stored: the job stays completed, only the sharing ends.
      runs_.remove_work_dir(id);
      ledger_.record_event(id, "seeding_done", Json{{"jobId", id.value}, {"reason", e.message()}});
    }
  }
  return n;
}

void JobFlow::end_seeding(const JobId& id, const Json& data) {
  runs_.workers().stop(id);
  auto job = ledger_.jobs().find(id);
  // While the files are still being scanned or stored the work dir stays for that.
  if (!job || job->status == JobState::completed) runs_.remove_work_dir(id);
  if (!job) return;
  ledger_.record_event(id, "seeding_done", data, [&] {
    auto idle = job->progress;
    idle.upload_bps = idle.peers = idle.seeds = 0;
    ledger_.jobs().set_seeding(id, idle);
  });
}

}  // namespace tseeder::jobs
