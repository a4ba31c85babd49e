#include "jobs/sharing.h"

#include <map>

#include "jobs/content_list.h"
#include "jobs/more_files.h"
#include "store/content_repo.h"
#include "store/file_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

Sharing::Sharing(JobLedger& ledger, JobRuns& runs, Admission& admission)
    : ledger_(ledger), runs_(runs), admission_(admission) {}

bool Sharing::may_share(const Job& source, const Job& job) {
  // Whoever uploaded the .torrent holds its metadata and could join its swarm; an infohash alone
  // (a magnet) opens only content known to be public. A private torrent's files stay with those
  // its trackers let in.
  return job.source_kind == "torrent" || source.content_private == false || source.source_kind == "url";
}

bool Sharing::may_take_shares(const Job& job) {
  // A job that names a checksum downloads and checks its own copy.
  return job.content_key && !job.checksum && !has_stored_files(ledger_.db(), job.id);
}

bool Sharing::share_stored(const Job& job) {
  if (!may_take_shares(job)) return false;
  auto& jobs = ledger_.jobs();
  auto source = jobs.stored_content(*job.content_key, job.id);
  if (!source || !may_share(*source, job)) return false;
  store::ContentRepo contents(ledger_.db());
  const auto stored = store::FileRepo(ledger_.db()).for_job(source->id);
  auto source_list = contents.for_job(source->id);
  if (source_list.empty())  // stored before file lists were kept: its files are the list
    for (std::uint32_t i = 0; i < stored.size(); ++i)
      source_list.push_back({i, stored[i].path, stored[i].size_bytes, TSEEDER_PRIORITY_NORMAL});
  const auto own = contents.for_job(job.id);
  auto listed = list_for(job, source_list, own);
  if (!listed) return false;
  // Every file the job wants must be stored already, else it downloads as usual.
  std::map<std::string, const StoredFile*> by_path;
  for (const auto& f : stored) by_path[f.path] = &f;
  std::vector<StoredFile> shared;
  for (const auto& c : *listed) {
    if (c.priority == 0) continue;
    auto it = by_path.find(c.path);
    if (it == by_path.end() || it->second->size_bytes != c.size_bytes) return false;
    StoredFile copy = *it->second;
    copy.job_id = job.id;
    shared.push_back(std::move(copy));
  }
  if (shared.empty()) return false;
  runs_.discard(job.id);
  if (!take_list(job, *source, *listed, own.size())) return true;
  // Which job stored it is not said: it may be another user's.
  ledger_.transition(*jobs.find(job.id), JobState::completed,
                     "the same content is stored on this server already; its files are shared, nothing was fetched",
                     std::nullopt, [&] {
                       ledger_.keep_files(job.id, shared);
                       jobs.set_scan(job.id, source->scan_status, source->scan_detail, ledger_.clock().now_ms());
                     });
  ledger_.signal_work();
  return true;
}

void Sharing::follow(const Job& job, const Job& leader) {
  auto& jobs = ledger_.jobs();
  // Past its metadata the leader tells which files it fetches: if not every file this job wants,
  // the job waits for it to end rather than follow.
  std::optional<std::vector<ContentFile>> listed;
  std::size_t own_size = 0;
  if (leader.status != JobState::metadata_fetch) {
    store::ContentRepo contents(ledger_.db());
    const auto lead_list = contents.for_job(leader.id);
    const auto own = contents.for_job(job.id);
    own_size = own.size();
    listed = list_for(job, lead_list, own);
    bool covered = listed.has_value();
    for (std::size_t i = 0; covered && i < listed->size(); ++i)
      covered = (*listed)[i].priority == 0 || lead_list[i].priority > 0;
    if (!covered)
      return admission_.wait_in_queue(job,
                                      "a running download of the same content does not fetch every file this job "
                                      "wants; waiting for it to end");
  }
  Job cur = job;
  auto step = [&](JobState to, const std::string& why) {
    ledger_.transition(cur, to, why, std::nullopt, [&] { jobs.set_follows(cur.id, leader.id); });
    cur = *jobs.find(cur.id);
  };
  const std::string attached = "attached to a running download of the same content; nothing is fetched twice";
  bool fresh = false;
  if (!is_running(cur.status)) {
    step(JobState::metadata_fetch, attached);
  } else if (!cur.follows) {
    jobs.set_follows(cur.id, leader.id);  // the next step says so
    cur = *jobs.find(cur.id);
    fresh = true;
  }
  if (!listed) return;  // the file list comes with the leader's
  if (!take_list(cur, leader, *listed, own_size)) return;
  cur = *jobs.find(cur.id);
  if (cur.status == JobState::metadata_fetch)
    step(JobState::downloading, fresh ? attached : "metadata received by the shared download");
  if (leader.status == JobState::scanning && cur.status == JobState::downloading)
    step(JobState::scanning, "the shared download is being scanned for viruses");
  if (leader.status == JobState::uploading && cur.status != JobState::uploading)
    step(JobState::uploading, "the shared download is being stored");
  if (cur.status == JobState::downloading) ledger_.publish_progress(cur.id, leader.progress);
}

bool Sharing::take_list(const Job& job, const Job& source, const std::vector<ContentFile>& listed,
                        std::size_t own_size) {
  if (own_size != listed.size())
    ledger_.record_metadata(job.id, source.name.value_or(""), source.progress.bytes_total, listed);
  return admission_.within_plan(job.id, job.user_id, listed);
}

void Sharing::back_to_queue(const Job& job, const std::string& why) {
  const auto now = ledger_.clock().now_ms();
  ledger_.transition(job, JobState::queued, why, std::nullopt,
                     [&] { store::QueueRepo(ledger_.db()).enqueue(job.id, ledger_.idempotency_key(job), now, now); });
  ledger_.signal_work();
}

void Sharing::lead(const JobId& leader_id, JobState to) {
  auto& jobs = ledger_.jobs();
  const auto followers = jobs.followers(leader_id);
  if (followers.empty()) return;
  const auto leader = jobs.find(leader_id);
  for (const auto& listed : followers) {
    auto f = jobs.find(listed.id);
    if (!f || !f->follows || !is_running(f->status)) continue;
    if (to == JobState::completed) {
      if (!share_stored(*f))
        back_to_queue(*f, "the shared download did not store every file this job wants; fetching them");
    } else if (is_running(to)) {
      follow(*f, *leader);
    } else {
      back_to_queue(*f, "the download it shared is " + std::string(to_string(to)) + "; running its own");
    }
  }
}

}  // namespace tseeder::jobs
