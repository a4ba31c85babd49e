// /admin/search: one box for staff over accounts, jobs and the audit log, grouped by kind, each
// hit with its id and a one-line preview.
#include <set>
#include <sstream>

#include "audit/audit_log.h"
#include "auth/user_admin.h"
#include "core/error.h"
#include "handlers/handlers.h"
#include "jobs/staff_search.h"

namespace tseeder::daemon::handlers {

namespace {

const std::vector<std::string> kTypes = {"users", "jobs", "audit"};

std::vector<std::string> types_query(const Request& req) {
  auto v = req.query_param("types");
  if (!v) return kTypes;
  std::vector<std::string> out;
  std::stringstream in(*v);
  for (std::string t; std::getline(in, t, ',');) {
    if (std::find(kTypes.begin(), kTypes.end(), t) == kTypes.end())
      throw Error(Errc::invalid_argument, "query parameter 'types' has unknown type '" + t.substr(0, 40) + "'",
                  "any of users, jobs, audit, comma-separated", "types");
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  if (out.empty()) throw Error(Errc::invalid_argument, "query parameter 'types' is empty", {}, "types");
  return out;
}

std::string text_or(const std::optional<std::string>& v, const char* dash = "-") {
  return v ? *v : dash;
}

Json user_hit(const auth::User& u) {
  std::string preview = text_or(u.email) + " · " + std::string(auth::to_string(u.role)) + " · plan " + u.plan;
  if (u.suspended_at_ms) preview += " · suspended";
  return {{"id", u.id.value}, {"preview", preview}};
}

Json job_hit(const jobs::Job& j) {
  const std::string what = j.name ? *j.name : j.source_kind == "torrent" ? "an uploaded .torrent" : j.source;
  return {{"id", j.id.value},
          {"userId", j.user_id.value},
          {"preview", std::string(to_string(j.status)) + " · " + what.substr(0, 120) + " · owner " + j.user_id.value}};
}

Json audit_hit(const store::AuditRow& r) {
  return {
      {"id", r.id},
      {"preview", r.at + " · " + r.action + " · " + text_or(r.target) + " · by " + text_or(r.actor_id, "anonymous")}};
}

}  // namespace

Reply admin_search(StaffSearchApi& api, Request& req) {
  const auto q = jobs::search_text(req.query_param("q").value_or(""));
  const auto types = types_query(req);
  auto page = paging_query(req, 20, 100, Offset::refused);
  if (page.after && types.size() != 1)
    throw Error(Errc::invalid_argument, "query parameter 'after' pages one type",
                "give types= with one type, as the next links do", "after");
  Json out{{"q", q}};
  Json next = Json::object();
  for (const auto& type : types) {
    Json list = Json::array();
    req.query["types"] = type;  // each next link pages its own type
    if (type == "users") {
      auto rows = api.search.users(q, page.fetch(), page.after ? std::optional(page.after->key) : std::nullopt);
      next[type] = next_page(req, page, rows, [](const auth::User& u) {
        return store::Cursor{0, text_or(u.email, "")};
      });
      for (const auto& u : rows) list.push_back(user_hit(u));
    } else if (type == "jobs") {
      auto rows = api.search.jobs(q, page.fetch(), page.after);
      next[type] = next_page(req, page, rows, [](const jobs::Job& j) {
        return store::Cursor{j.created_at_ms, j.id.value};
      });
      for (const auto& j : rows) list.push_back(job_hit(j));
    } else {
      auto rows = api.search.audit(q, page.fetch(), page.after ? std::optional(page.after->at) : std::nullopt);
      next[type] = next_page(req, page, rows, [](const store::AuditRow& r) { return store::Cursor{r.id, ""}; });
      for (const auto& r : rows) list.push_back(audit_hit(r));
    }
    out[type] = std::move(list);
  }
  out["next"] = next;
  return Reply::json(200, out);
}

}  // namespace tseeder::daemon::handlers
