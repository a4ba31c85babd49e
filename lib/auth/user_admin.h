// What staff do to accounts: add, list, show, change role, suspend, force logout; and the
// first superadmin. Every change is audited with the staff member as the actor.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/auth_settings.h"
#include "auth/credentials.h"
#include "model/justification.h"
#include "store/user_repo.h"

namespace tseeder::auth {

struct NewUser {
  std::string email;
  Role role = Role::user;
  std::string plan = "free";
  std::optional<std::string> password;  // nullopt: generate one and hand it back once
};

struct AddedUser {
  auth::User user;
  std::optional<std::string> generated_password;
};

// An account checked and ready but for its password's hash, which is slow work for another
// thread (begin_add, then finish_add with the hash).
struct PendingUser {
  NewUser user;  // the email normalized, the password set (generated when none was given)
  bool generated = false;
  bool bootstrap = false;  // refused at the finish too if a superadmin appeared meanwhile
};

class UserAdmin {
 public:
  UserAdmin(store::Db& db, const Clock& clock, audit::AuditLog& audit, Credentials& credentials);

  // Adding an account: begin_add checks it, its password is hashed (off the event loop), and
  // finish_add stores it with the hash.
  PendingUser begin_add(const Principal& actor, const NewUser& u);
  AddedUser finish_add(const Principal& actor, const PendingUser& p, const std::string& password_hash,
                       const RequestMeta& meta);
  // The first superadmin, added the same way; refused once any superadmin account exists.
  PendingUser begin_bootstrap(const Principal& actor, const std::string& email, std::optional<std::string> password);
  std::vector<auth::User> list(const store::UserListQuery& q) { return users_.list(q); }
  auth::User show(const UserId& id);
  auth::User set_role(const Principal& actor, const UserId& id, Role role, const Justification& why,
                      const RequestMeta& meta);
  auth::User suspend(const Principal& actor, const UserId& id, const Justification& why, const RequestMeta& meta);
  auth::User unsuspend(const Principal& actor, const UserId& id, const Justification& why, const RequestMeta& meta);
  // Deletes an account that holds no job (delete its jobs first: their files are the user's);
  // needs a reason and a ticket. Its audit entries stay.
  void remove(const Principal& actor, const UserId& id, const Justification& why, const RequestMeta& meta);
  // Ends every session, API key and unused reset token of the account.
  EndedCredentials force_logout(const Principal& actor, const UserId& id, const Justification& why,
                                const RequestMeta& meta);
  // Moves an account to another plan; its new limits apply from the next request.
  auth::User set_plan(const Principal& actor, const UserId& id, const std::string& plan, const Justification& why,
                      const RequestMeta& meta);

 private:
  // Staff act only on accounts below their own role; a superadmin on anyone but themselves.
  auth::User target_for(const Principal& actor, const UserId& id);
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  Credentials& credentials_;
  store::UserRepo users_;
};

}  // namespace tseeder::auth
