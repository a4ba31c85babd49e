// The store's side of staff search (GET /admin/search): accounts by id or the start of their
// email, jobs by id or infohash prefix or any part of their name or source, audit entries by
// action, actor or target. Every query reads an index: none walks a whole table.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "model/job.h"
#include "model/user.h"
#include "store/audit_repo.h"
#include "store/cursor.h"
#include "store/db.h"

namespace tseeder::store {

class SearchRepo {
 public:
  explicit SearchRepo(Db& db) : db_(db) {}
  // By email order, after `after_email`.
  std::vector<auth::User> users(const std::string& q, int limit, const std::optional<std::string>& after_email);
  // Newest first, after the cursor (created_at, id).
  std::vector<jobs::Job> jobs(const std::string& q, int limit, const std::optional<Cursor>& after);
  // Newest first, below `before_id`.
  std::vector<AuditRow> audit(const std::string& q, int limit, std::optional<std::int64_t> before_id);

 private:
  Db& db_;
};

}  // namespace tseeder::store
