// SQL for plans and which plan each account is on.
#pragma once
#include <optional>
#include <string>
#include <utility>
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
  // Staff's choice: kept until staff change it (a bought period's end is dropped).
  void assign(const UserId& user, const std::string& plan, std::int64_t now_ms);
  // A bought period: the plan until `paid_until_ms`, when lapse_due() moves the account to free.
  void assign_paid(const UserId& user, const std::string& plan, std::int64_t paid_until_ms, std::int64_t now_ms);
  // Accounts whose bought period ended by `now_ms`, at most `limit`, with the plan they had.
  std::vector<std::pair<UserId, std::string>> lapsed(std::int64_t now_ms, int limit);
  // Moves one account whose period ended by `now_ms` to free; false when it no longer qualifies.
  bool lapse(const UserId& user, std::int64_t now_ms);

 private:
  Db& db_;
};

}  // namespace tseeder::store
