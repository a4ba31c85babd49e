#include "store/job_repo.h"

#include "core/error.h"
#include "store/job_rows.h"

namespace tseeder::store {
namespace {

// Pages walk an index of (user_id[, status], created_at, id) from the cursor on, so a page
// costs the same however many jobs come before it (migration 0011).
std::string where_clause(const JobListQuery& q) {
  std::string where = q.status ? " WHERE user_id = ?1 AND status = ?2" : " WHERE user_id = ?1";
  if (q.after) where += " AND (created_at, id) < (?5, ?6)";
  return where;
}

void bind_filter(Stmt& s, const JobListQuery& q) {
  s.bind(1, q.user_id.value);
  if (q.status) s.bind(2, std::string(jobs::to_string(*q.status)));
  if (q.after) s.bind(5, q.after->at).bind(6, q.after->key);
}

}  // namespace

void JobRepo::insert(const jobs::Job& j) {
  auto s = db_.prepare(
      "INSERT INTO jobs (id, user_id, source_kind, source, engine, infohash, name, status, "
      "created_at, updated_at, sequential, download_limit_bps, upload_limit_bps, initial_files, content_key, "
      "content_private, last_seq, checksum) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
  s.bind(1, j.id.value).bind(2, j.user_id.value).bind(3, j.source_kind).bind(4, j.source);
  s.bind(5, j.engine).bind(6, j.infohash).bind(7, j.name);
  s.bind(8, std::string(jobs::to_string(j.status))).bind(9, j.created_at_ms);
  s.bind(10, static_cast<std::int64_t>(j.options.sequential ? 1 : 0));
  s.bind(11, static_cast<std::int64_t>(j.options.download_limit_bps));
  s.bind(12, static_cast<std::int64_t>(j.options.upload_limit_bps));
  s.bind(13, j.initial_files ? std::optional<std::string>(Json(*j.initial_files).dump()) : std::nullopt);
  s.bind(14, j.content_key);
  s.bind(15, j.content_private ? std::optional<std::int64_t>(*j.content_private ? 1 : 0) : std::nullopt);
  s.bind(16, j.last_seq).bind(17, j.checksum);
  s.run();
}

std::optional<jobs::Job> JobRepo::find(const JobId& id) {
  auto s = db_.prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?1");
  s.bind(1, id.value);
  if (!s.step()) return std::nullopt;
  return read_job(s);
}

std::optional<jobs::Job> JobRepo::find_by_infohash(const UserId& user, const std::string& infohash) {
  auto s = db_.prepare(std::string("SELECT ") + kJobColumns +
                       " FROM jobs WHERE user_id = ?1 AND infohash = ?2 ORDER BY created_at LIMIT 1");
  s.bind(1, user.value).bind(2, infohash);
  if (!s.step()) return std::nullopt;
  return read_job(s);
}

std::vector<jobs::Job> JobRepo::list(const JobListQuery& q) {
  auto s = db_.prepare(std::string("SELECT ") + kJobColumns + " FROM jobs" + where_clause(q) +
                       " ORDER BY created_at DESC, id DESC LIMIT ?3 OFFSET ?4");
  bind_filter(s, q);
  s.bind(3, static_cast<std::int64_t>(q.limit)).bind(4, static_cast<std::int64_t>(q.offset));
  return read_jobs(s);
}

std::int64_t JobRepo::count(const JobListQuery& q) {
  auto all = q;
  all.after.reset();  // the total of the list, not of what is left of it
  auto s = db_.prepare("SELECT count(*) FROM jobs" + where_clause(all));
  bind_filter(s, all);
  s.step();
  return s.int64(0);
}

// Ids are 16 lowercase hex characters, so those beginning with `prefix` lie between the prefix
// and the prefix followed by '~' (above every hex digit): a range on the primary key, which
// holds few rows for a prefix of four or more characters. `+user_id` keeps the planner off the
// user's index, which would walk every job of the user and sort them.
constexpr const char* kIdPrefixFilter = " FROM jobs WHERE id >= ?1 AND id < ?1 || '~' AND +user_id = ?2";

std::vector<jobs::Job> JobRepo::with_id_prefix(const UserId& user, const std::string& prefix, int limit) {
  auto s = db_.prepare(std::string("SELECT ") + kJobColumns + kIdPrefixFilter + " ORDER BY id LIMIT ?3");
  s.bind(1, prefix).bind(2, user.value).bind(3, static_cast<std::int64_t>(limit));
  return read_jobs(s);
}

std::int64_t JobRepo::count_id_prefix(const UserId& user, const std::string& prefix) {
  auto s = db_.prepare(std::string("SELECT count(*)") + kIdPrefixFilter);
  s.bind(1, prefix).bind(2, user.value);
  s.step();
  return s.int64(0);
}

std::int64_t JobRepo::count_all() {
  auto s = db_.prepare("SELECT count(*) FROM jobs");
  s.step();
  return s.int64(0);
}

std::string sql_state_list(std::span<const jobs::JobState> states) {
  std::string in;
  for (auto st : states) in += (in.empty() ? "'" : ",'") + std::string(jobs::to_string(st)) + "'";
  return in;
}

std::vector<jobs::Job> JobRepo::in_states(std::initializer_list<jobs::JobState> states) {
  return in_states(std::span<const jobs::JobState>(states.begin(), states.size()));
}

std::vector<jobs::Job> JobRepo::in_states(std::span<const jobs::JobState> states) {
  auto s = db_.prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE status IN (" + sql_state_list(states) +
                       ") ORDER BY created_at");
  return read_jobs(s);
}

std::vector<JobId> JobRepo::unqueued_waiting() {
  static constexpr jobs::JobState kWaiting[] = {jobs::JobState::submitted, jobs::JobState::queued};
  auto s = db_.prepare("SELECT id FROM jobs WHERE status IN (" + sql_state_list(kWaiting) +
                       ") AND NOT EXISTS (SELECT 1 FROM queue_messages q WHERE q.job_id = jobs.id)");
  std::vector<JobId> out;
  while (s.step()) out.push_back(JobId{s.text(0)});
  return out;
}

std::int64_t JobRepo::set_status(const JobId& id, jobs::JobState st, const std::optional<std::string>& error,
                                 std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE jobs SET status = ?2, error = ?3, updated_at = ?4, download_bps = 0, upload_bps = 0, "
      "error_code = CASE WHEN ?3 IS NULL THEN NULL ELSE error_code END, "
      "eta_s = NULL, completed_at = CASE WHEN ?2 = 'completed' THEN ?4 ELSE completed_at END, "
      // A job stops following another's download when it leaves the running states.
      "follows = CASE WHEN ?5 THEN follows ELSE NULL END, last_seq = last_seq + 1 "
      "WHERE id = ?1 RETURNING last_seq");
  s.bind(1, id.value).bind(2, std::string(jobs::to_string(st))).bind(3, error).bind(4, now_ms);
  s.bind(5, static_cast<std::int64_t>(jobs::is_running(st) ? 1 : 0));
  if (!s.step()) throw Error(Errc::not_found, "job " + id.value + " not found");
  return s.int64(0);
}

void JobRepo::set_engine(const JobId& id, const std::string& engine, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE jobs SET engine = ?2, updated_at = ?3 WHERE id = ?1");
  s.bind(1, id.value).bind(2, engine).bind(3, now_ms);
  s.run();
}

void JobRepo::set_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                           std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE jobs SET name = ?2, bytes_total = ?3, updated_at = ?4 WHERE id = ?1");
  s.bind(1, id.value).bind(2, name);
  if (total)
    s.bind(3, static_cast<std::int64_t>(*total));
  else
    s.bind_null(3);
  s.bind(4, now_ms);
  s.run();
}

void JobRepo::set_seeding(const JobId& id, const jobs::Progress& p) {
  auto s = db_.prepare(
      "UPDATE jobs SET upload_bps = ?2, peers = ?3, seeds = ?4, bytes_uploaded = max(bytes_uploaded, ?5) "
      "WHERE id = ?1");
  s.bind(1, id.value).bind(2, static_cast<std::int64_t>(p.upload_bps)).bind(3, static_cast<std::int64_t>(p.peers));
  s.bind(4, static_cast<std::int64_t>(p.seeds)).bind(5, static_cast<std::int64_t>(p.bytes_uploaded));
  s.run();
}

std::int64_t JobRepo::set_progress(const JobId& id, const jobs::Progress& p, std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE jobs SET bytes_done = ?2, bytes_total = COALESCE(?3, bytes_total), download_bps = ?4, "
      "upload_bps = ?5, peers = ?6, seeds = ?7, eta_s = ?8, last_seq = last_seq + 1, "
      "updated_at = ?9, bytes_uploaded = max(bytes_uploaded, ?10) WHERE id = ?1 RETURNING last_seq");
  s.bind(1, id.value).bind(2, static_cast<std::int64_t>(p.bytes_done));
  if (p.bytes_total)
    s.bind(3, static_cast<std::int64_t>(*p.bytes_total));
  else
    s.bind_null(3);
  s.bind(4, static_cast<std::int64_t>(p.download_bps)).bind(5, static_cast<std::int64_t>(p.upload_bps));
  s.bind(6, static_cast<std::int64_t>(p.peers)).bind(7, static_cast<std::int64_t>(p.seeds));
  if (p.eta_s)
    s.bind(8, *p.eta_s);
  else
    s.bind_null(8);
  s.bind(9, now_ms).bind(10, static_cast<std::int64_t>(p.bytes_uploaded));
  if (!s.step()) return 0;
  std::int64_t seq = s.int64(0);
  s.run();
  return seq;
}

void JobRepo::set_options(const JobId& id, const jobs::JobOptions& o, std::int64_t now_ms) {
  auto s = db_.prepare(
      "UPDATE jobs SET sequential = ?2, download_limit_bps = ?3, upload_limit_bps = ?4, updated_at = ?5 "
      "WHERE id = ?1");
  s.bind(1, id.value).bind(2, static_cast<std::int64_t>(o.sequential ? 1 : 0));
  s.bind(3, static_cast<std::int64_t>(o.download_limit_bps)).bind(4, static_cast<std::int64_t>(o.upload_limit_bps));
  s.bind(5, now_ms);
  s.run();
}

void JobRepo::set_downloaded(const JobId& id, const std::optional<std::vector<jobs::FinishedFile>>& files,
                             std::int64_t now_ms) {
  std::optional<std::string> text;
  if (files) {
    Json list = Json::array();
    for (const auto& f : *files) list.push_back({{"path", f.path}, {"size", f.size_bytes}, {"name", f.name}});
    text = dump_json(list);
  }
  auto s = db_.prepare("UPDATE jobs SET downloaded_files = ?2, updated_at = ?3 WHERE id = ?1");
  s.bind(1, id.value).bind(2, text).bind(3, now_ms);
  s.run();
}

void JobRepo::set_scan(const JobId& id, const std::optional<std::string>& status,
                       const std::optional<std::string>& detail, std::int64_t now_ms) {
  auto s = db_.prepare("UPDATE jobs SET scan_status = ?2, scan_detail = ?3, updated_at = ?4 WHERE id = ?1");
  s.bind(1, id.value).bind(2, status).bind(3, detail).bind(4, now_ms);
  s.run();
}

void JobRepo::set_error_code(const JobId& id, const std::string& code) {
  auto s = db_.prepare("UPDATE jobs SET error_code = ?2 WHERE id = ?1");
  s.bind(1, id.value).bind(2, code);
  s.run();
}

void JobRepo::set_content_key(const JobId& id, const std::string& key) {
  auto s = db_.prepare("UPDATE jobs SET content_key = ?2 WHERE id = ?1");
  s.bind(1, id.value).bind(2, key);
  s.run();
}

void JobRepo::set_content_private(const JobId& id, bool is_private) {
  auto s = db_.prepare("UPDATE jobs SET content_private = ?2 WHERE id = ?1");
  s.bind(1, id.value).bind(2, static_cast<std::int64_t>(is_private ? 1 : 0));
  s.run();
}

void JobRepo::set_follows(const JobId& id, const JobId& leader) {
  auto s = db_.prepare("UPDATE jobs SET follows = ?2 WHERE id = ?1");
  s.bind(1, id.value).bind(2, leader.value);
  s.run();
}

std::vector<jobs::Job> JobRepo::followers(const JobId& leader) {
  auto s = db_.prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE follows = ?1 ORDER BY created_at");
  s.bind(1, leader.value);
  return read_jobs(s);
}

// Content lookups (stored_content, running_content, with_content) seek the few jobs of the
// content through jobs_by_content and jobs_by_infohash; `+status` keeps the planner from
// walking every job of a status instead (migration 0012).
std::optional<jobs::Job> JobRepo::stored_content(const std::string& key, const JobId& except) {
  auto s =
      db_.prepare(std::string("SELECT ") + kJobColumns +
                  " FROM jobs WHERE (content_key = ?1 OR infohash = ?1) AND +status = 'completed' AND id != ?2 "
                  "AND EXISTS (SELECT 1 FROM files f WHERE f.job_id = jobs.id) ORDER BY completed_at DESC LIMIT 1");
  s.bind(1, key).bind(2, except.value);
  if (!s.step()) return std::nullopt;
  return read_job(s);
}

std::optional<jobs::Job> JobRepo::running_content(const std::string& key, const JobId& except) {
  auto s = db_.prepare(std::string("SELECT ") + kJobColumns +
                       " FROM jobs WHERE (content_key = ?1 OR infohash = ?1) AND follows IS NULL AND id != ?2 "
                       "AND +status IN (" +
                       sql_state_list(jobs::kRunningStates) + ") ORDER BY created_at LIMIT 1");
  s.bind(1, key).bind(2, except.value);
  if (!s.step()) return std::nullopt;
  return read_job(s);
}

std::vector<jobs::Job> JobRepo::with_content(const std::string& key, std::span<const jobs::JobState> states) {
  auto s = db_.prepare(std::string("SELECT ") + kJobColumns +
                       " FROM jobs WHERE (content_key = ?1 OR infohash = ?1) AND +status IN (" +
                       sql_state_list(states) + ") ORDER BY created_at");
  s.bind(1, key);
  return read_jobs(s);
}

std::vector<std::pair<jobs::Job, std::int64_t>> JobRepo::past_retention(std::int64_t now_ms) {
  auto s = db_.prepare(std::string("SELECT ") + kJobColumns +
                       ", r.days FROM jobs JOIN (SELECT u.id AS owner, p.retention_days AS days FROM users u "
                       "JOIN plans p ON p.id = u.plan WHERE p.retention_days IS NOT NULL) r ON r.owner = user_id "
                       "WHERE status = 'completed' AND completed_at + r.days * 86400000 <= ?1 ORDER BY completed_at");
  s.bind(1, now_ms);
  std::vector<std::pair<jobs::Job, std::int64_t>> out;
  while (s.step()) out.emplace_back(read_job(s), s.int64(kJobColumnCount));
  return out;
}

std::map<std::string, jobs::JobState> JobRepo::statuses() {
  auto s = db_.prepare("SELECT id, status FROM jobs");
  std::map<std::string, jobs::JobState> out;
  while (s.step()) out[s.text(0)] = jobs::parse_state(s.text(1)).value_or(jobs::JobState::failed);
  return out;
}

void JobRepo::remove(const JobId& id) {
  auto s = db_.prepare("DELETE FROM jobs WHERE id = ?1");
  s.bind(1, id.value);
  s.run();
}

}  // namespace tseeder::store
