// Staff search across accounts, jobs and the audit log (GET /admin/search): what a query may be,
// and one indexed lookup per kind (store/search_repo.h says which index).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/search_repo.h"

namespace tseeder::jobs {

inline constexpr std::size_t kMaxSearchText = 200;

// `q` trimmed; Error(invalid_argument) naming `q` when it is empty, longer than kMaxSearchText
// bytes, not UTF-8, or holds control characters.
std::string search_text(const std::string& q);

class StaffSearch {
 public:
  explicit StaffSearch(store::Db& db) : db_(db) {}
  std::vector<auth::User> users(const std::string& q, int limit, const std::optional<std::string>& after) {
    return store::SearchRepo(db_).users(q, limit, after);
  }
  std::vector<Job> jobs(const std::string& q, int limit, const std::optional<store::Cursor>& after) {
    return store::SearchRepo(db_).jobs(q, limit, after);
  }
  std::vector<store::AuditRow> audit(const std::string& q, int limit, std::optional<std::int64_t> before) {
    return store::SearchRepo(db_).audit(q, limit, before);
  }

 private:
  store::Db& db_;
};

}  // namespace tseeder::jobs
