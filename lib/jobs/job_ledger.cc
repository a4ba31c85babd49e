#include "jobs/job_ledger.h"

#include "core/error.h"
#include "store/content_repo.h"
#include "store/file_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

JobLedger::JobLedger(store::Db& db, progress::ProgressHub& hub, const Clock& clock, Followers& followers,
                     WorkSignal& work)
    : db_(db), jobs_(db), events_(db), hub_(hub), clock_(clock), followers_(followers), work_(work) {}

Job JobLedger::require(const UserId& owner, const JobId& id) {
  std::optional<Job> job;
  if (looks_like_id(id.value)) job = jobs_.find(id);
  if (!job || job->user_id != owner)
    throw Error(Errc::not_found, "job " + id.value + " not found", "list jobs with `tseeder ls`");
  return *job;
}

std::string JobLedger::idempotency_key(const Job& job) const {
  return job.user_id.value + ":" + job.infohash.value_or(job.id.value);
}

void JobLedger::publish(const JobId& id, std::int64_t seq, const std::string& type, const std::string& data,
                        bool final) {
  hub_.publish(progress::HubEvent{id, seq, type, data, final});
}

void JobLedger::transition(const Job& job, JobState to, const std::string& reason,
                           const std::optional<std::string>& error, const std::function<void()>& also,
                           const Json& detail) {
  check_transition(job.status, to);
  const auto now = clock_.now_ms();
  Json data{{"jobId", job.id.value}, {"from", to_string(job.status)}, {"status", to_string(to)}};
  if (detail.is_object()) data.update(detail);
  if (!reason.empty()) data["reason"] = reason;
  if (error) data["error"] = *error;
  store_event(job.id, "status", data, now, [&] {
    const auto seq = jobs_.set_status(job.id, to, error, now);
    if (also) also();
    return seq;
  });
  if (!job.follows && is_running(job.status)) followers_.leader_moved(job.id, to);
}

void JobLedger::record_new(Job& job, const std::string& type, const Json& data, const std::function<void()>& check,
                           const std::function<void()>& also) {
  job.last_seq = 1;
  store_event(job.id, type, data, job.created_at_ms, [&] {
    check();
    jobs_.insert(job);
    also();
    return job.last_seq;
  });
}

void JobLedger::record_event(const JobId& id, const std::string& type, const Json& data,
                             const std::function<void()>& also) {
  store_event(id, type, data, clock_.now_ms(), [&] {
    if (also) also();
    return events_.next_seq(id);
  });
}

void JobLedger::store_event(const JobId& id, const std::string& type, const Json& data, std::int64_t now_ms,
                            const std::function<std::int64_t()>& write) {
  const std::string text = dump_json(data);
  std::int64_t seq = 0;
  {
    store::Transaction tx(db_);
    seq = write();
    events_.add(id, seq, type, text, now_ms);
    tx.commit();
  }
  publish(id, seq, type, text);
}

void JobLedger::publish_progress(const JobId& id, const Progress& p, JobState status) {
  db_.join_group();  // every running job reports each second: one commit for all of a turn's
  std::int64_t seq = jobs_.set_progress(id, p, clock_.now_ms());
  Json data = to_json(p);
  data["jobId"] = id.value;
  data["status"] = std::string(to_string(status));
  publish(id, seq, "progress", dump_json(data));
}

void JobLedger::record_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
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

void JobLedger::keep_files(const JobId& id, const std::vector<StoredFile>& files) {
  const auto now = clock_.now_ms();
  store::FileRepo repo(db_);
  for (const auto& f : files) repo.insert(f, now);
  Progress done = jobs_.find(id)->progress;  // what it uploaded stays, for the share ratio
  done.bytes_done = 0;
  for (const auto& f : repo.for_job(id)) done.bytes_done += f.size_bytes;  // earlier rounds' too
  done.bytes_total = done.bytes_done;
  done.download_bps = done.upload_bps = done.peers = done.seeds = 0;
  done.eta_s.reset();
  jobs_.set_progress(id, done, now);
  jobs_.set_downloaded(id, std::nullopt, now);
  store::QueueRepo(db_).ack(id);
}

std::vector<store::StoredEvent> JobLedger::events_after(const JobId& id, std::int64_t seq, int limit) {
  return events_.after(id, seq, limit);
}

}  // namespace tseeder::jobs
