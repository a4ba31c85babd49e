#include "jobs/job_service.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "core/error.h"
#include "core/path_safety.h"
#include "core/unique_paths.h"
#include "core/units.h"
#include "jobs/finishing.h"
#include "jobs/pipeline.h"
#include "plugin/plugin_host.h"
#include "plugin/scanner.h"
#include "quota/quota.h"
#include "storage/storage_backend.h"
#include "store/blocklist_repo.h"
#include "store/content_repo.h"
#include "store/dead_letter_repo.h"
#include "store/file_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

namespace fs = std::filesystem;

namespace {

Error blocked_error() {
  return Error(Errc::blocked, "this content is blocked on this server",
               "ask the operator if you think this is a mistake");
}

// The file list of a job's metadata with each file's priority: kept from an earlier delivery of
// the same list (the user may have changed them), else from the selection made at creation.
std::vector<ContentFile> content_list(const std::vector<plugin::EngineFile>& files,
                                      const std::vector<ContentFile>& before,
                                      const std::optional<std::vector<std::uint32_t>>& initial) {
  std::vector<ContentFile> out;
  out.reserve(files.size());
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(f.path);
  // The names the files are stored under (what the engine's runner names them, too).
  auto names = unique_relative_paths(paths);
  for (std::uint32_t i = 0; i < files.size(); ++i) {
    ContentFile c{i, std::move(names[i]), files[i].size_bytes, TSEEDER_PRIORITY_NORMAL};
    if (before.size() == files.size())
      c.priority = before[i].priority;
    else if (initial)
      c.priority =
          std::binary_search(initial->begin(), initial->end(), i) ? TSEEDER_PRIORITY_NORMAL : TSEEDER_PRIORITY_SKIP;
    out.push_back(std::move(c));
  }
  return out;
}

// `job`'s file list for content listed as `source`: its own priorities when it has the list
// already, else its selection made at creation. Nullopt when that selection names a file the
// content does not have.
std::optional<std::vector<ContentFile>> list_for(const Job& job, const std::vector<ContentFile>& source,
                                                 const std::vector<ContentFile>& own) {
  if (job.initial_files && !job.initial_files->empty() && job.initial_files->back() >= source.size())
    return std::nullopt;
  std::vector<plugin::EngineFile> files;
  for (const auto& c : source) files.push_back({c.path, c.size_bytes});
  return content_list(files, own, job.initial_files);
}

constexpr std::int64_t kRecheckMs = 30'000;  // a job waiting for disk space or a shared download

}  // namespace

JobService::JobService(store::Db& db, progress::ProgressHub& hub, storage::StorageBackend& storage,
                       plugin::PluginHost& plugins, const Clock& clock, ServicePaths paths, Report report)
    : db_(db),
      jobs_(db),
      events_(db),
      hub_(hub),
      storage_(storage),
      plugins_(plugins),
      clock_(clock),
      paths_(std::move(paths)),
      report_(std::move(report)) {}

std::string JobService::work_dir(const JobId& id) const {
  return paths_.downloads_dir + "/" + id.value;
}

std::string JobService::idempotency_key(const Job& job) const {
  return job.user_id.value + ":" + job.infohash.value_or(job.id.value);
}

void JobService::signal_work() {
  if (work_signal_) work_signal_();
}

void JobService::publish(const JobId& id, std::int64_t seq, const std::string& type, const std::string& data,
                         bool final) {
  hub_.publish(progress::HubEvent{id, seq, type, data, final});
}

Job JobService::require(const UserId& owner, const JobId& id) {
  std::optional<Job> job;
  if (looks_like_id(id.value)) job = jobs_.find(id);
  // Another owner's job is reported exactly like a missing one.
  if (!job || job->user_id != owner)
    throw Error(Errc::not_found, "job " + id.value + " not found", "list jobs with `tseeder ls`");
  return *job;
}

void JobService::transition(const Job& job, JobState to, const std::string& reason,
                            const std::optional<std::string>& error, const std::function<void()>& also,
                            const Json& detail) {
  check_transition(job.status, to);
  const auto now = clock_.now_ms();
  Json data{{"jobId", job.id.value}, {"from", to_string(job.status)}, {"status", to_string(to)}};
  if (detail.is_object()) data.update(detail);
  if (!reason.empty()) data["reason"] = reason;
  if (error) data["error"] = *error;
  const std::string text = dump_json(data);
  std::int64_t seq = 0;
  {
    store::Transaction tx(db_);
    jobs_.set_status(job.id, to, error, now);
    seq = events_.append(job.id, "status", text, now);
    if (also) also();
    tx.commit();
  }
  publish(job.id, seq, "status", text);
  if (!job.follows && is_running(job.status)) lead(job.id, to);
}

Created JobService::create(const UserId& owner, const JobRequest& req) {
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
    fs::create_directories(paths_.torrents_dir);
    torrent.path = torrent_path(job.id);
    std::ofstream out(torrent.path, std::ios::binary | std::ios::trunc);
    out.write(req.torrent_bytes.data(), static_cast<std::streamsize>(req.torrent_bytes.size()));
    if (!out.flush()) throw Error(Errc::io, "cannot save the uploaded .torrent in " + paths_.torrents_dir);
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
  if (blocked(job)) throw blocked_error();
  // The same user adding the same content again gets the job they already have.
  if (job.infohash) {
    if (auto existing = jobs_.find_by_infohash(owner, *job.infohash)) return {*existing, false};
  }
  job.engine = engine->name();
  job.content_key = job.infohash;
  job.options = req.options;
  job.initial_files = req.files;
  job.status = JobState::submitted;
  job.created_at_ms = job.updated_at_ms = clock_.now_ms();
  Json data{
      {"jobId", job.id.value}, {"status", "submitted"}, {"sourceKind", job.source_kind}, {"engine", engine->name()}};
  if (job.source_kind != "torrent") data["source"] = job.source;
  if (job.infohash) data["infohash"] = *job.infohash;
  std::int64_t seq = 0;
  {
    // The plan check, the job row, its first event and its queue message: all or nothing, so
    // concurrent requests cannot pass a limit together.
    store::Transaction tx(db_);
    if (quota_) quota_->check_admission(owner, known_bytes);
    jobs_.insert(job);
    seq = events_.append(job.id, "created", dump_json(data), job.created_at_ms);
    store::QueueRepo(db_).enqueue(job.id, idempotency_key(job), job.created_at_ms, job.created_at_ms);
    tx.commit();
  }
  torrent.keep = true;
  job.last_seq = seq;
  publish(job.id, seq, "created", dump_json(data));
  if (share_stored(job)) return {*jobs_.find(job.id), true};
  signal_work();
  return {job, true};
}

std::string JobService::torrent_path(const JobId& id) const {
  return paths_.torrents_dir + "/" + id.value + ".torrent";
}

Job JobService::get(const UserId& owner, const JobId& id) {
  return require(owner, id);
}

std::vector<Job> JobService::list(const store::JobListQuery& q) {
  return jobs_.list(q);
}
std::int64_t JobService::count(const store::JobListQuery& q) {
  return jobs_.count(q);
}

StoredFile JobService::file(const UserId& owner, const JobId& id, std::int64_t file_id) {
  require(owner, id);
  auto f = store::FileRepo(db_).find(id, file_id);
  if (!f) throw Error(Errc::not_found, "file " + std::to_string(file_id) + " of job " + id.value + " not found");
  return *f;
}

std::vector<StoredFile> JobService::stored_files(const UserId& owner, const JobId& id) {
  require(owner, id);
  return store::FileRepo(db_).for_job(id);
}

std::pair<UserId, StoredFile> JobService::stored_file(const JobId& id, std::int64_t file_id) {
  auto job = jobs_.find(id);
  auto f = job ? store::FileRepo(db_).find(id, file_id) : std::nullopt;
  if (!f) throw Error(Errc::not_found, "file " + std::to_string(file_id) + " of job " + id.value + " not found");
  return {job->user_id, *f};
}

std::vector<JobFile> JobService::contents(const UserId& owner, const JobId& id) {
  require(owner, id);
  auto stored = store::FileRepo(db_).for_job(id);
  std::vector<JobFile> out;
  const auto listed = store::ContentRepo(db_).for_job(id);
  if (listed.empty()) {
    for (const auto& f : stored) out.push_back({std::nullopt, f.path, f.size_bytes, TSEEDER_PRIORITY_NORMAL, f.id});
    return out;
  }
  std::map<std::string, std::int64_t> ids;
  for (const auto& f : stored) ids[f.path] = f.id;
  for (const auto& c : listed) {
    auto it = ids.find(c.path);
    out.push_back({c.index, c.path, c.size_bytes, c.priority,
                   it == ids.end() ? std::nullopt : std::optional<std::int64_t>(it->second)});
  }
  return out;
}

std::vector<JobFile> JobService::change_files(const UserId& owner, const JobId& id,
                                              const std::vector<FileChange>& changes) {
  Job job = require(owner, id);
  if (job.status == JobState::completed || job.status == JobState::uploading || job.status == JobState::cancelled)
    throw Error(Errc::conflict, "job is " + std::string(to_string(job.status)) + "; its file selection is final",
                "add the content again to fetch other files");
  store::ContentRepo repo(db_);
  auto listed = repo.for_job(id);
  if (listed.empty())
    throw Error(Errc::conflict, "the job's file list is not known yet",
                "wait for its metadata_ready event, or choose files when adding the job");
  for (const auto& c : changes)
    if (c.index >= listed.size())
      throw Error(Errc::invalid_argument,
                  "file " + std::to_string(c.index) + " does not exist; the job has " + std::to_string(listed.size()) +
                      " file(s)",
                  "indexes start at 0", "files");
  for (const auto& c : changes) listed[c.index].priority = apply_change(listed[c.index].priority, c);
  if (std::none_of(listed.begin(), listed.end(), [](const ContentFile& f) { return f.priority > 0; }))
    throw Error(Errc::invalid_argument, "at least one file must stay wanted", "to stop the job, cancel it", "files");
  if (quota_)
    if (auto over = quota_->check_content(job.user_id, id, listed)) throw *over;
  Json list = Json::array();
  for (const auto& c : changes)
    list.push_back({{"index", c.index},
                    {"wanted", listed[c.index].priority > 0},
                    {"priority", priority_name(listed[c.index].priority)}});
  const Json data{{"jobId", id.value}, {"files", list}};
  const auto now = clock_.now_ms();
  std::int64_t seq = 0;
  {
    store::Transaction tx(db_);
    for (const auto& c : changes) repo.set_priority(id, c.index, listed[c.index].priority);
    seq = events_.append(id, "files_changed", dump_json(data), now);
    tx.commit();
  }
  publish(id, seq, "files_changed", dump_json(data));
  reconfigure(job);
  return contents(owner, id);
}

Job JobService::set_options(const UserId& owner, const JobId& id, const JobOptions& options) {
  Job job = require(owner, id);
  if (job.options == options) return job;
  const Json data{{"jobId", id.value}, {"options", to_json(options)}};
  const auto now = clock_.now_ms();
  std::int64_t seq = 0;
  {
    store::Transaction tx(db_);
    jobs_.set_options(id, options, now);
    seq = events_.append(id, "options_changed", dump_json(data), now);
    tx.commit();
  }
  publish(id, seq, "options_changed", dump_json(data));
  job = require(owner, id);
  reconfigure(job);
  return job;
}

plugin::JobSettings JobService::settings_for(const Job& job) {
  plugin::JobSettings s;
  s.sequential = job.options.sequential;
  s.download_limit_bps = job.options.download_limit_bps;
  s.upload_limit_bps = job.options.upload_limit_bps;
  auto listed = store::ContentRepo(db_).for_job(job.id);
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

void JobService::reconfigure(const Job& job) {
  if (!workers_ || !workers_->running(job.id)) return;
  try {
    workers_->configure(job.id, settings_for(job));
  } catch (const Error& e) {
    on_failed(job.id, e.message(), true);
  }
}

std::vector<store::StoredEvent> JobService::events_after(const JobId& id, std::int64_t seq, int limit) {
  return events_.after(id, seq, limit);
}

Job JobService::stop_as(const UserId& owner, const JobId& id, JobState to, const std::string& reason) {
  Job job = require(owner, id);
  check_transition(job.status, to);
  if (workers_) workers_->stop(id);
  if (pipeline_) pipeline_->stop(id);
  transition(job, to, reason, std::nullopt, [&] { store::QueueRepo(db_).ack(id); });
  if (to == JobState::cancelled) remove_work_dir(id);
  signal_work();
  return require(owner, id);
}

Job JobService::requeue_from(const UserId& owner, const JobId& id, JobState from, const std::string& reason) {
  Job job = require(owner, id);
  if (job.status != from)
    throw Error(Errc::conflict,
                "job is " + std::string(to_string(job.status)) + ", not " + std::string(to_string(from)));
  transition(job, JobState::queued, reason, std::nullopt, [&] {
    // A failed job does not count as active; coming back it needs room under the plan, and its
    // content must not have been blocked meanwhile.
    if (from == JobState::failed && quota_) quota_->check_admission(job.user_id);
    if (from == JobState::failed && blocked(job)) throw blocked_error();
    store::QueueRepo(db_).enqueue(id, idempotency_key(job), clock_.now_ms(), clock_.now_ms());
    store::DeadLetterRepo(db_).remove(id);  // a fresh set of attempts
  });
  signal_work();
  return require(owner, id);
}

Job JobService::pause(const UserId& owner, const JobId& id) {
  Job job = require(owner, id);
  // A completed job that still seeds: pausing it stops the seeding, as in other clients.
  if (job.status == JobState::completed && workers_ && workers_->running(id)) {
    end_seeding(id, Json{{"jobId", id.value}, {"reason", "stopped by user"}});
    return require(owner, id);
  }
  return stop_as(owner, id, JobState::paused, "paused by user");
}

Job JobService::cancel(const UserId& owner, const JobId& id) {
  return stop_as(owner, id, JobState::cancelled, "cancelled by user");
}

Job JobService::resume(const UserId& owner, const JobId& id) {
  return requeue_from(owner, id, JobState::paused, "resumed by user");
}

Job JobService::retry(const UserId& owner, const JobId& id, const std::string& reason) {
  return requeue_from(owner, id, JobState::failed, reason);
}

void JobService::remove(const UserId& owner, const JobId& id) {
  Job job = require(owner, id);
  discard_work(id);
  for (const auto& f : jobs_.followers(id)) back_to_queue(f, "the download it shared was deleted; running its own");
  // Objects other jobs of the same content still name stay; the rest of the job's prefix goes,
  // and so do objects it shared from jobs already gone that nothing names any more.
  store::FileRepo files(db_);
  const auto stored = files.for_job(id);
  const auto prefix = storage::job_prefix(job.user_id, id);
  std::set<std::string> keep;
  std::vector<std::string> released;
  {
    store::Transaction tx(db_);
    jobs_.remove(id);  // cascades to events, files and the queue message
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
  if (pipeline_ && storage_.remote())
    pipeline_->detach(drop, [this, id](const std::string& what) { report(id, what); });
  else
    drop();
  std::error_code ec;
  fs::remove(torrent_path(id), ec);
  publish(id, 0, "deleted", dump_json(Json{{"jobId", id.value}}), /*final=*/true);
  signal_work();
}

bool JobService::dispatch(const JobId& id) {
  auto job = jobs_.find(id);
  store::QueueRepo queue(db_);
  if (!job || !(job->status == JobState::submitted || job->status == JobState::queued)) {
    // A stale message: the job was paused, cancelled or finished meanwhile. One still running
    // (a download longer than its lease, a follower) keeps it for a retry or a wait later on.
    if (!job || !is_running(job->status)) queue.ack(id);
    return false;
  }
  if (share_stored(*job)) return false;
  if (job->content_key && !job->downloaded_files) {
    if (auto leader = jobs_.running_content(*job->content_key, id); leader && may_share(*leader, *job)) {
      follow(*job, *leader);
      return false;
    }
  }
  if (job->downloaded_files) {
    // The download finished before; a failed scan or upload (or a restart) resumes after it.
    std::error_code exists_ec;
    if (fs::is_directory(work_dir(id), exists_ec)) {
      finish(*job, "resuming after the finished download");
      return true;
    }
    jobs_.set_downloaded(id, std::nullopt, clock_.now_ms());  // its files are gone: download again
    job = jobs_.find(id);
  }
  plugin::Engine* engine = job->engine ? plugins_.find_engine(*job->engine) : nullptr;
  if (!engine) {
    std::string why;
    engine = plugins_.engine_for(job->source, why);
    if (!engine) {
      transition(*job, JobState::failed, "no engine", "no loaded engine accepts this source: " + why,
                 [&] { queue.ack(id); });
      return false;
    }
    jobs_.set_engine(id, engine->name(), clock_.now_ms());
  }
  auto why = workers_->unable(engine->name());
  if (!why) why = disk_short(*job);
  if (why) {
    wait_in_queue(*job, *why);
    return false;
  }
  transition(*job, JobState::metadata_fetch, "dispatched to " + engine->name());
  job = jobs_.find(id);
  try {
    workers_->start(*job, *engine, settings_for(*job));
  } catch (const Error& e) {
    on_failed(id, e.message(), true);
    return false;
  }
  return true;
}

void JobService::requeue(const JobId& id, const std::string& why) {
  auto job = jobs_.find(id);
  if (!job || !is_running(job->status)) return;
  if (workers_) workers_->stop(id);
  if (pipeline_) pipeline_->stop(id);
  back_to_queue(*job, why);
}

void JobService::mark_waiting() {
  for (const auto& job : jobs_.in_states({JobState::submitted}))
    transition(job, JobState::queued, "waiting for a free download slot");
}

void JobService::on_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                             const std::vector<plugin::EngineFile>& files) {
  auto job = jobs_.find(id);
  if (!job || job->status != JobState::metadata_fetch) return;
  store::ContentRepo repo(db_);
  auto listed = content_list(files, repo.for_job(id), job->initial_files);
  if (job->initial_files && !job->initial_files->empty() && job->initial_files->back() >= files.size()) {
    on_failed(id,
              "the job asked for file " + std::to_string(job->initial_files->back()) + " but the content has " +
                  std::to_string(files.size()) + " file(s)",
              false);
    return;
  }
  store_metadata(id, sanitize_relative_path(name), total, listed);
  if (share_stored(*job)) return;
  // A URL is known by its content only now; one already past its metadata leads. (Two jobs both
  // in metadata_fetch never follow each other: the first here becomes the leader.)
  if (job->content_key) {
    if (auto leader = jobs_.running_content(*job->content_key, id);
        leader && leader->status != JobState::metadata_fetch && may_share(*leader, *job)) {
      discard_work(id);
      follow(*job, *leader);
      return;
    }
  }
  if (!within_plan(id, job->user_id, listed)) return;
  if (auto why = disk_short(*jobs_.find(id))) {
    wait_in_queue(*jobs_.find(id), *why);  // still held: nothing was fetched
    return;
  }
  transition(*jobs_.find(id), JobState::downloading, "metadata received");
  reconfigure(*jobs_.find(id));  // releases the engine's hold
}

bool JobService::blocked(const Job& job) {
  std::vector<std::string> ids;
  if (job.infohash) ids.push_back(*job.infohash);
  if (job.content_key && job.content_key != job.infohash) ids.push_back(*job.content_key);
  return !ids.empty() && store::BlocklistRepo(db_).find_any(ids).has_value();
}

std::optional<std::string> JobService::disk_short(const Job& job) {
  if (!free_space_) return std::nullopt;
  // What a job still has to fetch: its wanted files less what it has (0 while the size is unknown).
  auto remaining = [this](const Job& j) -> std::uint64_t {
    std::uint64_t wanted = 0;
    for (const auto& c : store::ContentRepo(db_).for_job(j.id))
      if (c.priority > 0) wanted += c.size_bytes;
    return wanted > j.progress.bytes_done ? wanted - j.progress.bytes_done : 0;
  };
  const std::uint64_t own = remaining(job);
  std::uint64_t others = 0;
  for (const auto& j : jobs_.in_states({JobState::downloading}))
    if (j.id != job.id && !j.follows) others += remaining(j);  // a follower fetches nothing itself
  const std::uint64_t free = free_space_(paths_.downloads_dir);
  if (free >= own + others + reserve_bytes_) return std::nullopt;
  return "waiting for disk space: " + format_bytes(free) + " free in the download directory, " +
         format_bytes(reserve_bytes_) + " kept in reserve (downloads.reserve_mib), " + format_bytes(others) +
         " still coming for running downloads" + (own ? ", and this job needs " + format_bytes(own) : std::string());
}

void JobService::wait_in_queue(const Job& job, const std::string& why) {
  if (workers_) workers_->stop(job.id);
  const auto now = clock_.now_ms();
  // Upserted: a job running longer than its lease may have no message left to release.
  auto release = [&] { store::QueueRepo(db_).enqueue(job.id, idempotency_key(job), now + kRecheckMs, now); };
  if (job.status == JobState::queued) {
    // Said once: a job still waiting at its next check adds nothing to its timeline.
    auto last = events_.after(job.id, job.last_seq - 1);
    if (!last.empty() && last.back().type == "waiting") return release();
    record_event(job.id, "waiting", Json{{"jobId", job.id.value}, {"reason", why}}, release);
  } else {
    transition(job, JobState::queued, why, std::nullopt, release);
  }
}

void JobService::check_disk() {
  if (!free_space_) return;
  auto running = jobs_.in_states({JobState::downloading});
  std::erase_if(running, [](const Job& j) { return j.follows.has_value(); });  // they fetch nothing
  if (running.empty()) return;
  const std::uint64_t free = free_space_(paths_.downloads_dir);
  if (free >= reserve_bytes_) return;
  // The newest download steps back first; it resumes from its partial data when space returns.
  wait_in_queue(running.back(), "paused for disk space: " + format_bytes(free) +
                                    " free in the download directory, below the " + format_bytes(reserve_bytes_) +
                                    " reserve (downloads.reserve_mib)");
  signal_work();
}

void JobService::on_content_ids(const JobId& id, const std::vector<std::string>& ids, std::optional<bool> is_private) {
  auto job = jobs_.find(id);
  if (!job || job->status != JobState::metadata_fetch || ids.empty()) return;
  if (is_private && job->content_private != is_private) jobs_.set_content_private(id, *is_private);
  if (store::BlocklistRepo(db_).find_any(ids)) {
    refuse(*job, blocked_error());
    return;
  }
  // The content's first identity names it from now on: a v2-only magnet of a hybrid torrent is
  // known by its v1 infohash too, a URL by the digest of URL, size and validator.
  if (job->content_key != ids.front()) jobs_.set_content_key(id, ids.front());
}

int JobService::stop_blocked(const std::string& infohash) {
  int n = 0;
  for (const auto& listed : jobs_.with_content(infohash, kActiveStates)) {
    auto job = jobs_.find(listed.id);  // a follower moved when its leader was refused
    if (!job || !is_active(job->status)) continue;
    refuse(*job, blocked_error());
    ++n;
  }
  return n;
}

std::vector<storage::StoredObject> JobService::expire(const Job& job, const std::string& reason) {
  if (workers_) workers_->stop(job.id);  // a job still seeding stops: its files are going
  remove_work_dir(job.id);
  store::FileRepo files(db_);
  const auto stored = files.for_job(job.id);
  std::vector<storage::StoredObject> released;
  transition(job, JobState::expired, reason, std::nullopt, [&] {
    files.remove_for_job(job.id);
    for (const auto& f : stored)
      if (files.references(f.storage_key) == 0) released.push_back({f.storage_key, f.size_bytes});
  });
  released.push_back({storage::job_prefix(job.user_id, job.id) + "metadata.json", 0});
  return released;
}

void JobService::on_progress(const JobId& id, const plugin::EngineProgress& p) {
  auto job = jobs_.find(id);
  if (!job || job->status != JobState::downloading) return;
  publish_progress(id, p);
  for (const auto& f : jobs_.followers(id))
    if (f.status == JobState::downloading) publish_progress(f.id, p);
}

void JobService::publish_progress(const JobId& id, const Progress& p) {
  std::int64_t seq = jobs_.set_progress(id, p, clock_.now_ms());
  Json data = to_json(p);
  data["jobId"] = id.value;
  data["status"] = "downloading";
  publish(id, seq, "progress", dump_json(data));
}

void JobService::on_completed(const JobId& id, const std::vector<plugin::EngineFile>& files, bool seeding) {
  auto job = jobs_.find(id);
  if (!job || job->status != JobState::downloading) return;
  // The download slot is free either way; a seeding engine keeps only uploading to peers.
  if (workers_) workers_->downloaded(id, seeding);
  std::vector<FinishedFile> finished;
  for (const auto& f : files) finished.push_back({f.path, f.size_bytes, f.name});
  jobs_.set_downloaded(id, finished, clock_.now_ms());
  finish(*jobs_.find(id), "download complete");
  signal_work();
}

void JobService::finish(const Job& job, const std::string& why) {
  if (scan_enabled_ && !job.scan_status) {
    transition(job, JobState::scanning, why + "; scanning for viruses");
    start_scan(*jobs_.find(job.id));
    return;
  }
  transition(job, JobState::uploading, why + "; storing files", std::nullopt, [&] {
    if (!job.scan_status) jobs_.set_scan(job.id, "skipped", "turned off by scan.enabled", clock_.now_ms());
  });
  start_store(*jobs_.find(job.id));
}

void JobService::start_scan(const Job& job) {
  if (workers_ && workers_->remote(job.id)) return;  // its agent scans and reports on_scanned
  const plugin::Scanner* scanner = plugins_.scanner();
  pipeline_->run(
      job.id,
      [this, scanner, id = job.id, dir = fs::path(work_dir(job.id)),
       files = *job.downloaded_files](std::stop_token stop) -> std::function<void()> {
        auto outcome = scan_download(scanner, dir, files, stop);
        return [this, id, outcome] { on_scanned(id, outcome); };
      },
      [this, id = job.id](const std::string& what) { on_internal_error(id, what); });
}

void JobService::on_scanned(const JobId& id, const ScanOutcome& outcome) {
  auto job = jobs_.find(id);
  if (!job || job->status != JobState::scanning) return;
  using K = ScanOutcome::Kind;
  const auto now = clock_.now_ms();
  if (outcome.kind == K::bad_file) {
    transition(*job, JobState::failed, "scan", outcome.detail + ": '" + outcome.file + "'",
               [&] { store::QueueRepo(db_).ack(id); });
    signal_work();
    return;
  }
  const char* status = outcome.kind == K::clean ? "clean" : outcome.kind == K::infected ? "infected" : "error";
  Json data{{"jobId", id.value}, {"scanStatus", status}};
  if (!outcome.detail.empty()) data["detail"] = outcome.detail;
  if (!outcome.file.empty()) data["file"] = sanitize_relative_path(outcome.file);
  record_event(id, "scan_result", data, [&] {
    jobs_.set_scan(id, status, outcome.detail.empty() ? std::nullopt : std::optional(outcome.detail), now);
  });
  if (outcome.kind == K::infected) {
    // Nothing of an infected download is kept or handed out, and a seeding engine stops sharing it.
    if (workers_) workers_->stop(id);
    remove_work_dir(id);
    transition(*jobs_.find(id), JobState::failed, "infected",
               "infected: " + outcome.detail + " in '" + sanitize_relative_path(outcome.file) +
                   "'; the downloaded files were deleted",
               [&] {
                 jobs_.set_downloaded(id, std::nullopt, now);
                 store::QueueRepo(db_).ack(id);
               });
    signal_work();
    return;
  }
  if (outcome.kind == K::error)
    record_event(id, "warning",
                 Json{{"jobId", id.value}, {"message", "the files were not scanned for viruses: " + outcome.detail}});
  job = jobs_.find(id);
  transition(*job, JobState::uploading,
             outcome.kind == K::clean ? "scan clean; storing files" : "not scanned; storing files");
  start_store(*jobs_.find(id));
}

void JobService::start_store(const Job& job) {
  if (workers_ && workers_->remote(job.id)) return;  // its agent uploads and reports on_stored
  pipeline_->run(
      job.id,
      [this, job, dir = fs::path(work_dir(job.id))](std::stop_token stop) -> std::function<void()> {
        auto outcome = store_download(storage_, job, dir, *job.downloaded_files, stop);
        return [this, id = job.id, outcome = std::move(outcome)] { on_stored(id, outcome); };
      },
      [this, id = job.id](const std::string& what) { on_internal_error(id, what); });
}

void JobService::on_stored(const JobId& id, const StoreOutcome& outcome) {
  auto job = jobs_.find(id);
  if (!job || job->status != JobState::uploading) return;
  if (!outcome.ok) {
    on_failed(id, "storing files failed: " + outcome.error, outcome.retryable);
    return;
  }
  transition(*job, JobState::completed, "stored " + std::to_string(outcome.stored.size()) + " file(s)", std::nullopt,
             [&] { keep_files(id, outcome.stored); });
  // A seeding engine still reads the work dir; it goes when seeding ends.
  if (!workers_ || !workers_->running(id)) remove_work_dir(id);
  signal_work();
}

void JobService::keep_files(const JobId& id, const std::vector<StoredFile>& files) {
  const auto now = clock_.now_ms();
  store::FileRepo repo(db_);
  Progress done;
  for (const auto& f : files) {
    repo.insert(f, now);
    done.bytes_done += f.size_bytes;
  }
  done.bytes_total = done.bytes_done;
  jobs_.set_progress(id, done, now);
  jobs_.set_downloaded(id, std::nullopt, now);
  store::QueueRepo(db_).ack(id);
}

void JobService::store_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                                const std::vector<ContentFile>& listed) {
  Json list = Json::array();
  for (const auto& f : listed)
    list.push_back({{"index", f.index}, {"path", f.path}, {"size", f.size_bytes}, {"wanted", f.priority > 0}});
  const Json data{{"jobId", id.value}, {"name", name}, {"bytesTotal", or_null(total)}, {"files", list}};
  record_event(id, "metadata_ready", data, [&] {
    jobs_.set_metadata(id, name, total, clock_.now_ms());
    store::ContentRepo(db_).replace(id, listed);
  });
}

bool JobService::may_share(const Job& source, const Job& job) {
  // Whoever uploaded the .torrent holds its metadata and could join its swarm; an infohash alone
  // (a magnet) opens only content known to be public. A private torrent's files stay with those
  // its trackers let in.
  return job.source_kind == "torrent" || source.content_private == false || source.source_kind == "url";
}

bool JobService::share_stored(const Job& job) {
  if (!job.content_key) return false;
  auto source = jobs_.stored_content(*job.content_key, job.id);
  if (!source || !may_share(*source, job)) return false;
  store::ContentRepo contents(db_);
  const auto stored = store::FileRepo(db_).for_job(source->id);
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
  discard_work(job.id);
  if (!take_list(job, *source, *listed, own.size())) return true;
  // Which job stored it is not said: it may be another user's.
  transition(*jobs_.find(job.id), JobState::completed,
             "the same content is stored on this server already; its files are shared, nothing was fetched",
             std::nullopt, [&] {
               keep_files(job.id, shared);
               jobs_.set_scan(job.id, source->scan_status, source->scan_detail, clock_.now_ms());
             });
  signal_work();
  return true;
}

void JobService::follow(const Job& job, const Job& leader) {
  // Past its metadata the leader tells which files it fetches: if not every file this job wants,
  // the job waits for it to end rather than follow.
  std::optional<std::vector<ContentFile>> listed;
  std::size_t own_size = 0;
  if (leader.status != JobState::metadata_fetch) {
    store::ContentRepo contents(db_);
    const auto lead_list = contents.for_job(leader.id);
    const auto own = contents.for_job(job.id);
    own_size = own.size();
    listed = list_for(job, lead_list, own);
    bool covered = listed.has_value();
    for (std::size_t i = 0; covered && i < listed->size(); ++i)
      covered = (*listed)[i].priority == 0 || lead_list[i].priority > 0;
    if (!covered)
      return wait_in_queue(job,
                           "a running download of the same content does not fetch every file this job wants; "
                           "waiting for it to end");
  }
  Job cur = job;
  auto step = [&](JobState to, const std::string& why) {
    transition(cur, to, why, std::nullopt, [&] { jobs_.set_follows(cur.id, leader.id); });
    cur = *jobs_.find(cur.id);
  };
  const std::string attached = "attached to a running download of the same content; nothing is fetched twice";
  bool fresh = false;
  if (!is_running(cur.status)) {
    step(JobState::metadata_fetch, attached);
  } else if (!cur.follows) {
    jobs_.set_follows(cur.id, leader.id);  // the next step says so
    cur = *jobs_.find(cur.id);
    fresh = true;
  }
  if (!listed) return;  // the file list comes with the leader's
  if (!take_list(cur, leader, *listed, own_size)) return;
  cur = *jobs_.find(cur.id);
  if (cur.status == JobState::metadata_fetch)
    step(JobState::downloading, fresh ? attached : "metadata received by the shared download");
  if (leader.status == JobState::scanning && cur.status == JobState::downloading)
    step(JobState::scanning, "the shared download is being scanned for viruses");
  if (leader.status == JobState::uploading && cur.status != JobState::uploading)
    step(JobState::uploading, "the shared download is being stored");
  if (cur.status == JobState::downloading) publish_progress(cur.id, leader.progress);
}

bool JobService::take_list(const Job& job, const Job& source, const std::vector<ContentFile>& listed,
                           std::size_t own_size) {
  if (own_size != listed.size()) store_metadata(job.id, source.name.value_or(""), source.progress.bytes_total, listed);
  return within_plan(job.id, job.user_id, listed);
}

bool JobService::within_plan(const JobId& id, const UserId& owner, const std::vector<ContentFile>& listed) {
  if (!quota_) return true;
  auto over = quota_->check_content(owner, id, listed);
  if (!over) return true;
  refuse(*jobs_.find(id), *over);
  return false;
}

void JobService::back_to_queue(const Job& job, const std::string& why) {
  const auto now = clock_.now_ms();
  transition(job, JobState::queued, why, std::nullopt,
             [&] { store::QueueRepo(db_).enqueue(job.id, idempotency_key(job), now, now); });
  signal_work();
}

void JobService::lead(const JobId& leader_id, JobState to) {
  const auto followers = jobs_.followers(leader_id);
  if (followers.empty()) return;
  const auto leader = jobs_.find(leader_id);
  for (const auto& listed : followers) {
    auto f = jobs_.find(listed.id);
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

void JobService::record_event(const JobId& id, const std::string& type, const Json& data,
                              const std::function<void()>& also) {
  const std::string text = dump_json(data);
  std::int64_t seq = 0;
  {
    store::Transaction tx(db_);
    seq = events_.append(id, type, text, clock_.now_ms());
    if (also) also();
    tx.commit();
  }
  publish(id, seq, type, text);
}

void JobService::on_seeding_done(const JobId& id, std::uint64_t uploaded, std::uint64_t seconds) {
  end_seeding(id, Json{{"jobId", id.value}, {"uploaded", uploaded}, {"seconds", seconds}});
}

void JobService::end_seeding(const JobId& id, const Json& data) {
  if (workers_) workers_->stop(id);
  auto job = jobs_.find(id);
  // While the files are still being scanned or stored the work dir stays for that.
  if (!job || job->status == JobState::completed) remove_work_dir(id);
  if (job) record_event(id, "seeding_done", data);
}

void JobService::on_failed(const JobId& id, const std::string& reason, bool retryable) {
  auto job = jobs_.find(id);
  if (!job || !is_running(job->status)) return;
  if (workers_) workers_->stop(id);
  if (pipeline_) pipeline_->stop(id);
  store::QueueRepo queue(db_);
  auto msg = queue.find(id);
  const int failures = static_cast<int>(msg ? msg->attempts + 1 : 1);
  if (retryable && retry_.may_retry(failures)) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    const auto delay = retry_.delay_ms(failures, std::uniform_real_distribution<double>(0, 1)(rng));
    transition(*job, JobState::queued,
               "attempt " + std::to_string(failures) + " failed: " + reason + "; retrying in " +
                   (delay >= 1000 ? std::to_string(delay / 1000) + " s" : std::to_string(delay) + " ms"),
               std::nullopt, [&] { queue.release(id, clock_.now_ms() + delay, true, reason); });
  } else if (retryable) {
    transition(*job, JobState::failed, "retries exhausted after " + std::to_string(failures) + " attempts", reason,
               [&] {
                 queue.ack(id);
                 store::DeadLetterRepo(db_).add(id, failures, reason, clock_.now_ms());
               });
  } else {
    transition(*job, JobState::failed, "failed", reason, [&] { queue.ack(id); });
  }
  signal_work();
}

void JobService::refuse(const Job& job, const Error& why) {
  discard_work(job.id);
  transition(job, JobState::failed, std::string(errc_name(why.code())), why.what(), [&] {
    jobs_.set_error_code(job.id, std::string(errc_name(why.code())));
    jobs_.set_downloaded(job.id, std::nullopt, clock_.now_ms());
    store::QueueRepo(db_).ack(job.id);
  });
  signal_work();
}

void JobService::discard_work(const JobId& id) {
  if (workers_) workers_->stop(id);
  if (pipeline_) pipeline_->stop(id);
  remove_work_dir(id);
}

void JobService::remove_work_dir(const JobId& id) {
  std::error_code ec;
  fs::remove_all(work_dir(id), ec);
}

}  // namespace tseeder::jobs
