#include "jobs/job_actions.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/path_safety.h"
#include "jobs/job_notes.h"
#include "jobs/pipeline.h"
#include "plugin/plugin_host.h"
#include "store/content_repo.h"
#include "store/dead_letter_repo.h"
#include "store/file_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

namespace fs = std::filesystem;

JobActions::JobActions(JobLedger& ledger, JobRuns& runs, Recovery& recovery, Admission& admission, Sharing& sharing,
                       JobFlow& flow, plugin::PluginHost& plugins, storage::StorageBackend& storage)
    : ledger_(ledger),
      runs_(runs),
      more_(ledger, runs),
      recovery_(recovery),
      admission_(admission),
      sharing_(sharing),
      flow_(flow),
      plugins_(plugins),
      storage_(storage) {}

Created JobActions::create(const UserId& owner, const JobRequest& req) {
  Job job;
  job.id = new_job_id();
  job.user_id = owner;
  job.source_kind = req.source_kind;
  job.source = req.source;
  // An uploaded .torrent becomes a file the engines can read; it goes again if anything fails.
  struct TorrentFile {
    std::string path;
    bool keep = false;
    ~TorrentFile() {
      std::error_code ec;
      if (!path.empty() && !keep) fs::remove(path, ec);
    }
  } torrent;
  if (req.source_kind == "torrent") {
    fs::create_directories(runs_.paths().torrents_dir);
    torrent.path = runs_.torrent_path(job.id);
    std::ofstream out(torrent.path, std::ios::binary | std::ios::trunc);
    out.write(req.torrent_bytes.data(), static_cast<std::streamsize>(req.torrent_bytes.size()));
    if (!out.flush()) throw Error(Errc::io, "cannot save the uploaded .torrent in " + runs_.paths().torrents_dir);
    job.source = torrent.path;
  }
  std::string why;
  plugin::Engine* engine = plugins_.engine_for(job.source, why);
  const char* field = req.source_kind == "torrent" ? "torrent" : req.source_kind == "magnet" ? "magnet" : "url";
  if (!engine) throw Error(Errc::unsupported, "no engine accepts this source: " + why, {}, field);
  std::optional<std::uint32_t> file_count;
  std::optional<std::uint64_t> known_bytes;
  if (auto info = engine->inspect(job.source)) {
    if (!info->infohash.empty()) job.infohash = info->infohash;
    if (!info->name.empty()) job.name = sanitize_relative_path(info->name);
    file_count = info->file_count;
    if (!req.files) known_bytes = info->total_bytes;
    // A .torrent says up front whether it is private; a magnet only once its metadata came.
    if (req.source_kind == "torrent") job.content_private = info->private_content;
  }
  if (req.source_kind == "url") job.content_private = false;
  if (req.files && file_count && req.files->back() >= *file_count)
    throw Error(Errc::invalid_argument,
                "field 'files' names file " + std::to_string(req.files->back()) + " but the content has " +
                    std::to_string(*file_count) + " file(s)",
                "indexes start at 0", "files");
  if (admission_.blocked(job)) throw Admission::blocked_error();
  auto& jobs = ledger_.jobs();
  // The same user adding the same content again gets the job they already have.
  if (job.infohash) {
    if (auto existing = jobs.find_by_infohash(owner, *job.infohash))
      return {req.files ? select_more(*existing, *req.files) : *existing, false};
  }
  job.engine = engine->name();
  job.content_key = job.infohash;
  job.options = req.options;
  job.checksum = req.checksum;
  job.initial_files = req.files;
  job.status = JobState::submitted;
  job.created_at_ms = job.updated_at_ms = ledger_.clock().now_ms();
  Json data{
      {"jobId", job.id.value}, {"status", "submitted"}, {"sourceKind", job.source_kind}, {"engine", engine->name()}};
  if (job.source_kind != "torrent") data["source"] = job.source;
  if (job.infohash) data["infohash"] = *job.infohash;
  // The plan check, the job row, its first event and its queue message: all or nothing, so
  // concurrent requests cannot pass a limit together.
  ledger_.record_new(
      job, "created", data, [&] { admission_.check_active(owner, known_bytes); },
      [&] {
        store::QueueRepo(ledger_.db())
            .enqueue(job.id, ledger_.idempotency_key(job), job.created_at_ms, job.created_at_ms);
      });
  torrent.keep = true;
  job = *jobs.find(job.id);
  if (sharing_.share_stored(job)) return {*jobs.find(job.id), true};
  ledger_.signal_work();
  return {job, true};
}

Job JobActions::get(const UserId& owner, const JobId& id) {
  return ledger_.require(owner, id);
}

std::vector<Job> JobActions::list(const store::JobListQuery& q) {
  return ledger_.jobs().list(q);
}

std::int64_t JobActions::count(const store::JobListQuery& q) {
  return ledger_.jobs().count(q);
}

std::pair<std::vector<Job>, std::int64_t> JobActions::with_id_prefix(const UserId& owner, const std::string& prefix,
                                                                     int limit) {
  if (prefix.size() < 4 || prefix.size() > 16 || !is_lower_hex(prefix, prefix.size()))
    throw Error(Errc::invalid_argument, "idPrefix '" + prefix + "' is not the start of a job id",
                "give 4 to 16 of its lowercase hex characters", "idPrefix");
  return {ledger_.jobs().with_id_prefix(owner, prefix, limit), ledger_.jobs().count_id_prefix(owner, prefix)};
}

StoredFile JobActions::file(const UserId& owner, const JobId& id, std::int64_t file_id) {
  ledger_.require(owner, id);
  auto f = store::FileRepo(ledger_.db()).find(id, file_id);
  if (!f) throw Error(Errc::not_found, "file " + std::to_string(file_id) + " of job " + id.value + " not found");
  return *f;
}

std::vector<StoredFile> JobActions::stored_files(const UserId& owner, const JobId& id) {
  ledger_.require(owner, id);
  return store::FileRepo(ledger_.db()).for_job(id);
}

std::pair<UserId, StoredFile> JobActions::stored_file(const JobId& id, std::int64_t file_id) {
  auto job = ledger_.jobs().find(id);
  auto f = job ? store::FileRepo(ledger_.db()).find(id, file_id) : std::nullopt;
  if (!f) throw Error(Errc::not_found, "file " + std::to_string(file_id) + " of job " + id.value + " not found");
  return {job->user_id, *f};
}

std::vector<JobFile> JobActions::contents(const UserId& owner, const JobId& id, std::int64_t after, int limit) {
  ledger_.require(owner, id);
  std::vector<JobFile> out;
  const auto listed = store::ContentRepo(ledger_.db()).page(id, after, limit);
  if (listed.empty()) {
    if (after < 0)
      for (const auto& f : store::FileRepo(ledger_.db()).for_job(id))
        out.push_back({std::nullopt, f.path, f.size_bytes, TSEEDER_PRIORITY_NORMAL, f.id});
    return out;
  }
  std::vector<std::string> paths;
  for (const auto& c : listed) paths.push_back(c.path);
  std::map<std::string, std::int64_t> ids;
  for (const auto& f : store::FileRepo(ledger_.db()).with_paths(id, paths)) ids[f.path] = f.id;
  for (const auto& c : listed) {
    auto it = ids.find(c.path);
    out.push_back({c.index, c.path, c.size_bytes, c.priority,
                   it == ids.end() ? std::nullopt : std::optional<std::int64_t>(it->second)});
  }
  return out;
}

Job JobActions::set_options(const UserId& owner, const JobId& id, const JobOptions& options) {
  Job job = ledger_.require(owner, id);
  if (job.options == options) return job;
  ledger_.record_event(id, "options_changed", Json{{"jobId", id.value}, {"options", to_json(options)}},
                       [&] { ledger_.jobs().set_options(id, options, ledger_.clock().now_ms()); });
  job = ledger_.require(owner, id);
  flow_.reconfigure(job);
  return job;
}

std::vector<store::StoredEvent> JobActions::events_after(const JobId& id, std::int64_t seq, int limit) {
  return ledger_.events_after(id, seq, limit);
}

Job JobActions::stop_as(const UserId& owner, const JobId& id, JobState to, const std::string& reason) {
  Job job = ledger_.require(owner, id);
  check_transition(job.status, to);
  if (to == JobState::cancelled && has_stored_files(ledger_.db(), id)) {
    more_.settle(job, "fetching the files selected later was cancelled by user; the stored files stay");
    return ledger_.require(owner, id);
  }
  runs_.stop(id);
  ledger_.transition(job, to, reason, std::nullopt, [&] { store::QueueRepo(ledger_.db()).ack(id); });
  if (to == JobState::cancelled) runs_.remove_work_dir(id);
  ledger_.signal_work();
  return ledger_.require(owner, id);
}

Job JobActions::terminate(const JobId& id, const std::string& reason) {
  auto job = ledger_.jobs().find(id);
  if (!job) throw Error(Errc::not_found, "job " + id.value + " not found", "list jobs with `tseeder admin jobs ls`");
  if (!is_active(job->status))
    throw Error(Errc::conflict, "job " + id.value + " is " + std::string(to_string(job->status)) +
                                    ": only unfinished jobs can be terminated");
  return stop_as(job->user_id, id, JobState::cancelled, reason);
}

Job JobActions::requeue_from(const UserId& owner, const JobId& id, JobState from, const std::string& reason) {
  Job job = ledger_.require(owner, id);
  if (job.status != from)
    throw Error(Errc::conflict,
                "job is " + std::string(to_string(job.status)) + ", not " + std::string(to_string(from)));
  ledger_.transition(job, JobState::queued, reason, std::nullopt, [&] {
    // A failed job does not count as active; coming back it needs room under the plan, and its
    // content must not have been blocked meanwhile.
    if (from == JobState::failed) admission_.check_active(job.user_id);
    if (from == JobState::failed && admission_.blocked(job)) throw Admission::blocked_error();
    const auto now = ledger_.clock().now_ms();
    store::QueueRepo(ledger_.db()).enqueue(id, ledger_.idempotency_key(job), now, now);
    store::DeadLetterRepo(ledger_.db()).remove(id);  // a fresh set of attempts
  });
  ledger_.signal_work();
  return ledger_.require(owner, id);
}

namespace {
// Why a job has no live details here, or nullopt when it may.
std::optional<std::string> no_details(const Job& job, Workers& workers) {
  if (!job.infohash) return "job " + job.id.value + " is not a BitTorrent job: it has no trackers or peers";
  if (workers.remote(job.id))
    return "job " + job.id.value + " runs on an agent; its trackers and peers are not shown from here yet";
  if (!workers.running(job.id))
    return "job " + job.id.value + " is " + std::string(to_string(job.status)) +
           ": trackers and peers are known while it downloads or seeds";
  return std::nullopt;
}
}  // namespace

Json JobActions::live_details(const UserId& owner, const JobId& id) {
  const Job job = ledger_.require(owner, id);
  if (auto why = no_details(job, runs_.workers())) throw Error(Errc::conflict, *why);
  const auto text = runs_.workers().details(id);
  if (!text) throw Error(Errc::conflict, "job " + id.value + ": the engine has no details for it now");
  Json details = Json::parse(*text, nullptr, false);
  if (!details.is_object())
    throw Error(Errc::plugin, "the engine described job " + id.value + " in text that is not JSON");
  return details;
}

Json JobActions::notes(const Job& job) {
  return job_notes(ledger_.db(), job, ledger_.clock().now_ms());
}

void JobActions::reannounce(const UserId& owner, const JobId& id) {
  const Job job = ledger_.require(owner, id);
  if (auto why = no_details(job, runs_.workers())) throw Error(Errc::conflict, *why);
  if (!runs_.workers().reannounce(id))
    throw Error(Errc::conflict, "job " + id.value + ": its engine cannot announce on request");
}

Job JobActions::pause(const UserId& owner, const JobId& id) {
  Job job = ledger_.require(owner, id);
  // A completed job that still seeds: pausing it stops the seeding, as in other clients.
  if (job.status == JobState::completed && runs_.workers().running(id)) {
    flow_.end_seeding(id, Json{{"jobId", id.value}, {"reason", "stopped by user"}});
    return ledger_.require(owner, id);
  }
  return stop_as(owner, id, JobState::paused, "paused by user");
}

Job JobActions::cancel(const UserId& owner, const JobId& id) {
  return stop_as(owner, id, JobState::cancelled, "cancelled by user");
}

Job JobActions::resume(const UserId& owner, const JobId& id) {
  return requeue_from(owner, id, JobState::paused, "resumed by user");
}

Job JobActions::retry(const UserId& owner, const JobId& id, const std::string& reason) {
  return requeue_from(owner, id, JobState::failed, reason);
}

void JobActions::remove(const UserId& owner, const JobId& id) {
  Job job = ledger_.require(owner, id);
  auto& jobs = ledger_.jobs();
  runs_.discard(id);
  for (const auto& f : jobs.followers(id))
    sharing_.back_to_queue(f, "the download it shared was deleted; running its own");
  // Objects other jobs of the same content still name stay; the rest of the job's prefix goes,
  // and so do objects it shared from jobs already gone that nothing names any more.
  store::FileRepo files(ledger_.db());
  const auto stored = files.for_job(id);
  const auto prefix = storage::job_prefix(job.user_id, id);
  std::set<std::string> keep;
  std::vector<std::string> released;
  {
    store::Transaction tx(ledger_.db());
    jobs.remove(id);  // cascades to events, files and the queue message
    for (const auto& f : stored) {
      if (files.references(f.storage_key))
        keep.insert(f.storage_key);
      else if (!f.storage_key.starts_with(prefix))
        released.push_back(f.storage_key);
    }
    tx.commit();
  }
  // Object storage is slow to empty: the loop does not wait for it. Local files go at once.
  auto drop = [storage = &storage_, user = job.user_id, id, keep, released] {
    try {
      for (const auto& key : released) storage->remove_object(key);
      storage->remove_job(user, id, keep);
    } catch (const std::exception&) {
      // Left for the orphan sweep: objects no row names.
    }
  };
  if (storage_.remote()) {
    runs_.pipeline().detach(drop, [this, id](const std::string& what) { recovery_.report(id, what); });
  } else {
    ledger_.db().commit_group();  // the job is gone for good before its files go
    drop();
  }
  std::error_code ec;
  fs::remove(runs_.torrent_path(id), ec);
  ledger_.publish(id, 0, "deleted", dump_json(Json{{"jobId", id.value}}), /*final=*/true);
  ledger_.signal_work();
}

std::vector<storage::StoredObject> JobActions::expire(const Job& job, const std::string& reason) {
  runs_.workers().stop(job.id);  // a job still seeding stops: its files are going
  runs_.remove_work_dir(job.id);
  store::FileRepo files(ledger_.db());
  const auto stored = files.for_job(job.id);
  std::vector<storage::StoredObject> released;
  ledger_.transition(job, JobState::expired, reason, std::nullopt, [&] {
    files.remove_for_job(job.id);
    for (const auto& f : stored)
      if (files.references(f.storage_key) == 0) released.push_back({f.storage_key, f.size_bytes});
  });
  released.push_back({storage::job_prefix(job.user_id, job.id) + "metadata.json", 0});
  return released;
}

}  // namespace tseeder::jobs
