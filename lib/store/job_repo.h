// SQL for the jobs table.
#pragma once
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "model/job.h"
#include "store/cursor.h"
#include "store/db.h"

namespace tseeder::store {

struct JobListQuery {
  UserId user_id;
  std::optional<jobs::JobState> status;
  int limit = 50;
  int offset = 0;
  std::optional<Cursor> after;  // newest first: jobs older than this
};

// "'submitted','queued'": states for an SQL IN (…) list.
std::string sql_state_list(std::span<const jobs::JobState> states);

class JobRepo {
 public:
  explicit JobRepo(Db& db) : db_(db) {}
  void insert(const jobs::Job& job);
  std::optional<jobs::Job> find(const JobId& id);
  std::optional<jobs::Job> find_by_infohash(const UserId& user, const std::string& infohash);
  std::vector<jobs::Job> list(const JobListQuery& q);
  std::int64_t count(const JobListQuery& q);
  // Up to `limit` of the user's jobs whose id begins with `prefix` (lowercase hex), in id order:
  // what a short id typed by a person names. The count is of every match.
  std::vector<jobs::Job> with_id_prefix(const UserId& user, const std::string& prefix, int limit);
  std::int64_t count_id_prefix(const UserId& user, const std::string& prefix);
  std::int64_t count_all();
  std::vector<jobs::Job> in_states(std::initializer_list<jobs::JobState> states);
  std::vector<jobs::Job> in_states(std::span<const jobs::JobState> states);
  // Also counts the status event that says so: returns its number (EventRepo::add stores it).
  std::int64_t set_status(const JobId& id, jobs::JobState s, const std::optional<std::string>& error,
                          std::int64_t now_ms);
  void set_engine(const JobId& id, const std::string& engine, std::int64_t now_ms);
  void set_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> bytes_total,
                    std::int64_t now_ms);
  // Stores live progress and takes the job's next event sequence number for it.
  std::int64_t set_progress(const JobId& id, const jobs::Progress& p, std::int64_t now_ms);
  // A completed job seeding: only what it uploads, and to whom, changes (no event).
  void set_seeding(const JobId& id, const jobs::Progress& p);
  void set_options(const JobId& id, const jobs::JobOptions& o, std::int64_t now_ms);
  // What the engine finished (kept until stored, so retries skip the download); nullopt clears.
  void set_downloaded(const JobId& id, const std::optional<std::vector<jobs::FinishedFile>>& files,
                      std::int64_t now_ms);
  void set_scan(const JobId& id, const std::optional<std::string>& status, const std::optional<std::string>& detail,
                std::int64_t now_ms);
  // Why a failed job failed, for scripts; cleared by set_status with no error.
  void set_error_code(const JobId& id, const std::string& code);
  void set_content_key(const JobId& id, const std::string& key);
  void set_content_private(const JobId& id, bool is_private);
  // Dedup. `key` names content by a job's content key or infohash.
  // `id` shares the download of `leader` (cleared by set_status when it stops running).
  void set_follows(const JobId& id, const JobId& leader);
  std::vector<jobs::Job> followers(const JobId& leader);
  // The latest completed job other than `except` that still stores files of the content.
  std::optional<jobs::Job> stored_content(const std::string& key, const JobId& except);
  // A job other than `except` running its own download of the content.
  std::optional<jobs::Job> running_content(const std::string& key, const JobId& except);
  // Jobs of the content named by `key` (their content key, or their infohash) in `states`.
  std::vector<jobs::Job> with_content(const std::string& key, std::span<const jobs::JobState> states);
  // Completed jobs whose owner's plan keeps files `retention_days` and whose time is up at
  // `now_ms`, with those days.
  std::vector<std::pair<jobs::Job, std::int64_t>> past_retention(std::int64_t now_ms);
  // Waiting jobs (submitted, queued) with no queue message: only an inconsistency leaves one.
  std::vector<JobId> unqueued_waiting();
  // Every job's status, by id (for the orphan sweep).
  std::map<std::string, jobs::JobState> statuses();
  void remove(const JobId& id);

 private:
  Db& db_;
};

}  // namespace tseeder::store
