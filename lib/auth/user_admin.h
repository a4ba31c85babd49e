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

class UserAdmin {
 public:
  UserAdmin(store::Db& db, const Clock& clock, audit::AuditLog& audit, Credentials& credentials,
            const AuthSettings& settings);

  AddedUser add(const Principal& actor, const NewUser& u, const RequestMeta& meta);
  // The first superadmin; refused once any superadmin account exists.
  AddedUser bootstrap(const Principal& actor, const std::string& email, std::optional<std::string> password,
                      const RequestMeta& meta);
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
  const AuthSettings& settings_;
  store::UserRepo users_;
};

}  // namespace tseeder::auth
