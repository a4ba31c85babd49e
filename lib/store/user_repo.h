// SQL for users.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "model/user.h"
#include "store/cursor.h"
#include "store/db.h"

namespace tseeder::store {

struct UserListQuery {
  std::string email_contains;
  std::optional<auth::Role> role;
  int limit = 50;
  int offset = 0;
  std::optional<Cursor> after;  // oldest first: accounts made after this
};

class UserRepo {
 public:
  explicit UserRepo(Db& db) : db_(db) {}
  void insert(const auth::User& u);
  std::optional<auth::User> find(const UserId& id);
  std::optional<auth::User> find_by_email(const std::string& email);
  std::vector<auth::User> list(const UserListQuery& q);
  // Accounts whose email starts with `prefix` (any case), in email order after `after`: a range of
  // the email index.
  std::vector<auth::User> with_email_prefix(const std::string& prefix, int limit, const std::string& after);
  std::int64_t count_role(auth::Role role);  // accounts with an email

  void set_password(const UserId& id, const std::string& hash, std::int64_t now_ms);
  void set_verified(const UserId& id, std::int64_t now_ms);
  void set_role(const UserId& id, auth::Role role, std::int64_t now_ms);
  // Removes an account that holds no job, with its usage figures (sessions, keys and mailed
  // tokens go by cascade); false when a job of it is still kept.
  bool remove_without_jobs(const UserId& id);
  void set_suspended(const UserId& id, std::optional<std::int64_t> at_ms, const std::optional<std::string>& reason,
                     std::int64_t now_ms);
  // Counts one failed login; returns the new count.

 private:
  Db& db_;
};

}  // namespace tseeder::store
