// SQL for the audit log. Append and read only: the table's triggers refuse UPDATE and DELETE.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace tseeder::store {

struct AuditRow {
  std::int64_t id = 0;
  std::string at;  // UTC ISO 8601
  std::optional<std::string> actor_id;
  std::optional<std::string> actor_role;
  std::string action;
  std::optional<std::string> target;
  std::optional<std::string> ip;
  std::optional<std::string> request_id;
  std::string detail = "{}";  // JSON object
};

struct AuditQuery {
  std::optional<std::string> actor_id;
  std::optional<std::string> action;  // exact, or a prefix ending in '.' ("auth.")
  std::optional<std::string> target;
  std::optional<std::string> since;  // ISO 8601, inclusive
  std::optional<std::string> until;  // ISO 8601, exclusive
  std::optional<std::int64_t> before_id;
  int limit = 100;
};

class AuditRepo {
 public:
  explicit AuditRepo(Db& db) : db_(db) {}
  std::int64_t append(const AuditRow& row);
  std::vector<AuditRow> query(const AuditQuery& q);  // newest first

 private:
  Db& db_;
};

}  // namespace tseeder::store
