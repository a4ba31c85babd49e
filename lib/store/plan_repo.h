// SQL for plans and which plan each account is on.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "model/plan.h"
#include "store/db.h"

namespace tseeder::store {

class PlanRepo {
 public:
  explicit PlanRepo(Db& db) : db_(db) {}
  std::vector<quota::Plan> list();
  std::optional<quota::Plan> find(const std::string& id);
  // The plan of an account; nullopt when the account does not exist.
  std::optional<quota::Plan> of_user(const UserId& user);
  void update(const quota::Plan& p);
  void assign(const UserId& user, const std::string& plan, std::int64_t now_ms);

 private:
  Db& db_;
};

}  // namespace tseeder::store
