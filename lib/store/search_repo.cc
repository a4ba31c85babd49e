#include "store/search_repo.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <tuple>

#include "store/job_rows.h"
#include "store/user_repo.h"

namespace tseeder::store {
namespace {

bool all_hex(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// An FTS5 phrase of `q`: its double quotes doubled, so no character of it is query syntax.
std::string fts_phrase(const std::string& q) {
  std::string out = "\"";
  for (char c : q) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

constexpr const char* kAfter = " AND (created_at, id) < (?2, ?3)";

}  // namespace

std::vector<auth::User> SearchRepo::users(const std::string& q, int limit,
                                          const std::optional<std::string>& after_email) {
  UserRepo repo(db_);
  std::vector<auth::User> out;
  // An id names one account; it comes first on the first page.
  if (!after_email && q.size() == 16 && all_hex(q))
    if (auto u = repo.find(UserId{lower(q)}); u && u->email) out.push_back(*u);
  for (auto& u : repo.with_email_prefix(q, limit, after_email.value_or("")))
    if (static_cast<int>(out.size()) < limit && (out.empty() || out.front().id.value != u.id.value))
      out.push_back(std::move(u));
  return out;
}

std::vector<jobs::Job> SearchRepo::jobs(const std::string& q, int limit, const std::optional<Cursor>& after) {
  const Cursor from = after.value_or(Cursor{std::numeric_limits<std::int64_t>::max(), ""});
  std::vector<jobs::Job> found;
  auto run = [&](const std::string& where, const std::string& arg) {
    auto s = db_.prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE " + where + kAfter +
                         " ORDER BY created_at DESC, id DESC LIMIT ?4");
    s.bind(1, arg).bind(2, from.at).bind(3, after ? from.key : std::string("~")).bind(4, std::int64_t{limit});
    if (where.find("?5") != std::string::npos) s.bind(5, q);
    for (auto& j : read_jobs(s)) found.push_back(std::move(j));
  };
  if (all_hex(q) && q.size() <= 64) {
    const auto h = lower(q);
    // Ranges of the primary key and of jobs_by_infohash; '~' sorts after every hex digit.
    run("id >= ?1 AND id < ?1 || '~'", h);
    run("infohash >= ?1 AND infohash < ?1 || '~'", h);
  }
  // Trigrams need three characters; the match is checked against the row, so an index entry a
  // VACUUM left stale finds nothing rather than the wrong job.
  if (q.size() >= 3)
    run("rowid IN (SELECT rowid FROM jobs_text WHERE jobs_text MATCH ?1) AND (instr(lower(name), lower(?5)) > 0 OR "
        "instr(lower(source), lower(?5)) > 0)",
        fts_phrase(q));
  // The same job found twice counts once; then the newest `limit`.
  std::sort(found.begin(), found.end(), [](const jobs::Job& a, const jobs::Job& b) {
    return std::tie(b.created_at_ms, b.id.value) < std::tie(a.created_at_ms, a.id.value);
  });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const jobs::Job& a, const jobs::Job& b) { return a.id.value == b.id.value; }),
              found.end());
  if (static_cast<int>(found.size()) > limit) found.resize(static_cast<std::size_t>(limit));
  return found;
}

std::vector<AuditRow> SearchRepo::audit(const std::string& q, int limit, std::optional<std::int64_t> before_id) {
  AuditRepo repo(db_);
  std::vector<AuditRow> found;
  // One filter at a time, each read from its own index.
  auto add = [&](std::optional<std::string> AuditQuery::*field, std::string value) {
    AuditQuery aq;
    aq.*field = std::move(value);
    aq.before_id = before_id;
    aq.limit = limit;
    for (auto& r : repo.query(aq)) found.push_back(std::move(r));
  };
  // audit_by_action, audit_by_actor, audit_by_target. (A family of actions, "auth.", would walk
  // the log: the search takes whole action names.)
  if (!q.ends_with('.')) add(&AuditQuery::action, q);
  add(&AuditQuery::actor_id, q);
  add(&AuditQuery::target, q);
  if (q.find(':') == std::string::npos)
    for (const char* kind : {"user:", "job:", "plan:", "agent:", "provider:", "infohash:"})
      add(&AuditQuery::target, kind + q);
  std::sort(found.begin(), found.end(), [](const AuditRow& a, const AuditRow& b) { return a.id > b.id; });
  found.erase(
      std::unique(found.begin(), found.end(), [](const AuditRow& a, const AuditRow& b) { return a.id == b.id; }),
      found.end());
  if (static_cast<int>(found.size()) > limit) found.resize(static_cast<std::size_t>(limit));
  return found;
}

}  // namespace tseeder::store
