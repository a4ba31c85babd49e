#include "jobs/storage_sweeper.h"

#include <map>

#include "core/error.h"
#include "store/file_repo.h"

namespace tseeder::jobs {
namespace {

const JobId kSweepStep{"storage-sweep"};  // the pipeline's name for the sweep's steps

// The job an object belongs to: keys are {userId}/{jobId}/…
std::string job_of_key(const std::string& key) {
  auto a = key.find('/');
  if (a == std::string::npos) return {};
  auto b = key.find('/', a + 1);
  return b == std::string::npos ? std::string() : key.substr(a + 1, b - a - 1);
}

}  // namespace

StorageSweeper::StorageSweeper(store::Db& db, const Clock& clock, storage::StorageBackend& storage,
                               audit::AuditLog& audit, JobActions& jobs, Pipeline& pipeline)
    : db_(db), clock_(clock), storage_(storage), audit_(audit), jobs_(jobs), pipeline_(pipeline) {
  store::SweepRepo(db_).mark_interrupted(clock_.now_ms());
}

void StorageSweeper::note(const std::string& action, const std::string& target, Json detail) {
  detail["sweepId"] = current_->row.id;
  if (current_->row.dry_run) detail["dryRun"] = true;
  if (current_->req.actor) {
    detail["reason"] = current_->req.why.reason;
    detail["ticketId"] = current_->req.why.ticket_id;
    audit_.record(&*current_->req.actor, current_->req.meta, action, target, detail);
  } else {
    audit_.record_system(action, target, detail);
  }
}

std::int64_t StorageSweeper::start(const SweepRequest& req, std::function<void(const store::SweepRow&)> done) {
  if (current_)
    throw Error(Errc::conflict, "storage sweep " + std::to_string(current_->row.id) + " is running",
                "see tseeder admin storage sweeps");
  const auto now = clock_.now_ms();
  store::SweepRow row;
  row.started_at_ms = now;
  row.trigger = req.actor ? "admin" : "schedule";
  if (req.actor) {
    row.actor_id = req.actor->user.value;
    row.reason = req.why.reason;
    row.ticket_id = req.why.ticket_id;
  }
  row.dry_run = req.dry_run;
  row.id = store::SweepRepo(db_).insert(row);
  current_ = Run{row, req, std::move(done)};

  // Retention, on the loop: each job expires in its own transaction.
  std::vector<storage::StoredObject> released;
  for (const auto& [job, days] : store::JobRepo(db_).past_retention(now)) {
    std::uint64_t bytes = 0;
    std::size_t objects = 0;
    if (req.dry_run) {
      for (const auto& f : store::FileRepo(db_).for_job(job.id)) bytes += f.size_bytes, ++objects;
    } else {
      for (auto& o : jobs_.expire(job, "retention of " + std::to_string(days) + " day(s) passed")) {
        bytes += o.size_bytes;
        ++objects;
        released.push_back(std::move(o));
      }
    }
    current_->row.expired_jobs++;
    current_->row.bytes_freed += static_cast<std::int64_t>(bytes);
    // A dry run deletes nothing, so only its summary is audited.
    if (!req.dry_run)
      note("storage.expire", "job:" + job.id.value,
           {{"userId", job.user_id.value},
            {"retentionDays", days},
            {"completedAt", job.completed_at_ms.value_or(0)},
            {"objects", objects},
            {"bytes", bytes}});
  }
  // Storage, on a worker: the expired jobs' objects go, then everything left is listed.
  pipeline_.run(
      kSweepStep,
      [this, released, &storage = storage_](std::stop_token) -> std::function<void()> {
        std::string error;
        std::vector<storage::StoredObject> listed;
        try {
          for (const auto& o : released) storage.remove_object(o.key);
          listed = storage.list_objects();
        } catch (const std::exception& e) {
          error = e.what();
        }
        return [this, listed = std::move(listed), error] { classify(listed, error); };
      },
      [this](const std::string& what) { finish(what); });
  return row.id;
}

void StorageSweeper::classify(const std::vector<storage::StoredObject>& listed, const std::string& listing_error) {
  if (!listing_error.empty()) return finish(listing_error);
  const bool dry = current_->row.dry_run;
  store::FileRepo files(db_);
  const auto keys = files.all_keys();
  const std::set<std::string> named(keys.begin(), keys.end());
  const auto statuses = store::JobRepo(db_).statuses();
  std::set<std::string> present;
  std::vector<storage::StoredObject> orphans;
  for (const auto& o : listed) {
    present.insert(o.key);
    if (named.count(o.key)) continue;
    // Objects of a live job that no row names yet (being stored, or its metadata.json) stay.
    auto it = statuses.find(job_of_key(o.key));
    if (it != statuses.end() && it->second != JobState::expired && it->second != JobState::cancelled) continue;
    orphans.push_back(o);
  }
  // Rows whose object is gone; only rows older than the listing (a newer object may be missing
  // from it only because it was stored after).
  for (const auto& key : keys) {
    if (present.count(key)) continue;
    if (dry) {
      const auto rows = files.references(key);
      current_->row.orphan_rows += rows;
      continue;
    }
    std::vector<StoredFile> dropped;
    {
      store::Transaction tx(db_);
      dropped = files.remove_key(key, current_->row.started_at_ms);
      tx.commit();
    }
    for (const auto& f : dropped) {
      current_->row.orphan_rows++;
      note("storage.orphan_row", "job:" + f.job_id.value, {{"path", f.path}, {"key", f.storage_key}});
    }
  }
  if (dry) {
    for (const auto& o : orphans) {
      current_->row.orphan_objects++;
      current_->row.bytes_freed += static_cast<std::int64_t>(o.size_bytes);
    }
    return finish({});
  }
  pipeline_.run(
      kSweepStep,
      [this, orphans, &storage = storage_](std::stop_token stop) -> std::function<void()> {
        std::vector<storage::StoredObject> removed;
        std::string error;
        for (const auto& o : orphans) {
          if (stop.stop_requested()) break;
          try {
            storage.remove_object(o.key);
            removed.push_back(o);
          } catch (const std::exception& e) {
            error = e.what();
          }
        }
        return [this, removed, error] {
          for (const auto& o : removed) {
            current_->row.orphan_objects++;
            current_->row.bytes_freed += static_cast<std::int64_t>(o.size_bytes);
            note("storage.orphan_object", "object:" + o.key, {{"bytes", o.size_bytes}});
          }
          finish(error);
        };
      },
      [this](const std::string& what) { finish(what); });
}

void StorageSweeper::finish(const std::string& error) {
  auto& row = current_->row;
  row.finished_at_ms = clock_.now_ms();
  if (!error.empty()) row.error = error;
  store::SweepRepo(db_).finish(row);
  note("storage.sweep", "sweep:" + std::to_string(row.id),
       {{"expiredJobs", row.expired_jobs},
        {"orphanObjects", row.orphan_objects},
        {"orphanRows", row.orphan_rows},
        {"bytesFreed", row.bytes_freed},
        {"error", error.empty() ? Json(nullptr) : Json(error)}});
  Run run = std::move(*current_);
  current_.reset();
  if (run.done) run.done(run.row);
}

Json to_json(const store::SweepRow& r) {
  return {{"id", r.id},
          {"startedAt", r.started_at_ms},
          {"finishedAt", or_null(r.finished_at_ms)},
          {"trigger", r.trigger},
          {"actorId", or_null(r.actor_id)},
          {"reason", or_null(r.reason)},
          {"ticketId", or_null(r.ticket_id)},
          {"dryRun", r.dry_run},
          {"expiredJobs", r.expired_jobs},
          {"orphanObjects", r.orphan_objects},
          {"orphanRows", r.orphan_rows},
          {"bytesFreed", r.bytes_freed},
          {"error", or_null(r.error)}};
}

}  // namespace tseeder::jobs
