// SQL for plans and which plan each account is on.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "store/db.h"

namespace tseeder::store {

// One plan's limits; nullopt means no limit.
struct Plan {
  std::string id;
  std::string name;
  std::optional<std::int64_t> max_active_jobs;
  std::optional<std::int64_t> storage_bytes;
  std::optional<std::int64_t> max_file_bytes;
  std::optional<std::int64_t> bandwidth_bytes_month;
  std::optional<std::int64_t> retention_days;
  std::optional<std::int64_t> max_sessions;
};

class PlanRepo {
 public:
  explicit PlanRepo(Db& db) : db_(db) {}
  std::vector<Plan> list();
  std::optional<Plan> find(const std::string& id);
  // The plan of an account; nullopt when the account does not exist.
  std::optional<Plan> of_user(const UserId& user);
  void update(const Plan& p);
  void assign(const UserId& user, const std::string& plan, std::int64_t now_ms);

 private:
  Db& db_;
};

}  // namespace tseeder::store
