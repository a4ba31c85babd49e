#include "auth/user_admin.h"

#include "auth/account_service.h"
#include "core/error.h"
#include "core/secrets.h"
#include "store/plan_repo.h"

namespace tseeder::auth {

namespace {

void refuse_taken(store::UserRepo& users, const std::string& email) {
  if (users.find_by_email(email))
    throw Error(Errc::conflict, "an account with this email exists", "show it with tseeder admin users ls", "email");
}

void refuse_second_superadmin(store::UserRepo& users) {
  if (users.count_role(Role::superadmin) > 0)
    throw Error(Errc::conflict, "a superadmin account exists already",
                "add more accounts with tseeder admin users add EMAIL --role ROLE");
}

}  // namespace

UserAdmin::UserAdmin(store::Db& db, const Clock& clock, audit::AuditLog& audit, Credentials& credentials)
    : db_(db), clock_(clock), audit_(audit), credentials_(credentials), users_(db) {}

auth::User UserAdmin::show(const UserId& id) {
  auto u = users_.find(id);
  if (!u || !u->email) throw Error(Errc::not_found, "user " + id.value + " not found");
  return *u;
}

auth::User UserAdmin::target_for(const Principal& actor, const UserId& id) {
  auto u = show(id);
  if (u.id == actor.user) throw Error(Errc::forbidden, "staff cannot change their own account this way");
  if (actor.role != Role::superadmin && static_cast<int>(u.role) >= static_cast<int>(actor.role))
    throw Error(Errc::forbidden, "only a superadmin may change an account of role " + std::string(to_string(u.role)));
  return u;
}

PendingUser UserAdmin::begin_add(const Principal& actor, const NewUser& n) {
  PendingUser p{n};
  p.user.email = normalize_email(n.email);
  if (actor.role != Role::superadmin && static_cast<int>(n.role) >= static_cast<int>(actor.role))
    throw Error(Errc::forbidden, "only a superadmin may add an account of role " + std::string(to_string(n.role)));
  if (!store::PlanRepo(db_).find(n.plan))
    throw Error(Errc::invalid_argument, "plan '" + n.plan + "' does not exist", "free, pro, business or enterprise",
                "plan");
  if (n.password) {
    check_new_password(*n.password);
  } else {
    p.user.password = random_token(15);  // 20 characters
    p.generated = true;
  }
  refuse_taken(users_, p.user.email);  // before the hash; checked again when it is stored
  return p;
}

AddedUser UserAdmin::finish_add(const Principal& actor, const PendingUser& p, const std::string& password_hash,
                                const RequestMeta& meta) {
  const auto now = clock_.now_ms();
  auth::User u;
  u.id = UserId{random_hex_id(8)};
  u.email = p.user.email;
  u.password_hash = password_hash;
  u.role = p.user.role;
  u.plan = p.user.plan;
  u.email_verified = true;  // staff vouch for the address
  u.created_at_ms = u.updated_at_ms = now;
  store::Transaction tx(db_);
  if (p.bootstrap) refuse_second_superadmin(users_);
  refuse_taken(users_, p.user.email);
  users_.insert(u);
  audit_.record(&actor, meta, "user.add", "user:" + u.id.value,
                {{"email", p.user.email}, {"role", to_string(p.user.role)}, {"plan", p.user.plan}});
  tx.commit();
  AddedUser out{u, std::nullopt};
  if (p.generated) out.generated_password = p.user.password;
  return out;
}

PendingUser UserAdmin::begin_bootstrap(const Principal& actor, const std::string& email,
                                       std::optional<std::string> password) {
  refuse_second_superadmin(users_);
  auto p = begin_add(actor, NewUser{email, Role::superadmin, "enterprise", std::move(password)});
  p.bootstrap = true;
  return p;
}

auth::User UserAdmin::set_role(const Principal& actor, const UserId& id, Role role, const Justification& why,
                               const RequestMeta& meta) {
  check_justification(why, true);
  auto u = target_for(actor, id);
  if (actor.role != Role::superadmin && static_cast<int>(role) >= static_cast<int>(actor.role))
    throw Error(Errc::forbidden, "only a superadmin may grant the role " + std::string(to_string(role)));
  store::Transaction tx(db_);
  users_.set_role(u.id, role, clock_.now_ms());
  audit_.record(
      &actor, meta, "user.role", "user:" + u.id.value,
      {{"from", to_string(u.role)}, {"to", to_string(role)}, {"reason", why.reason}, {"ticketId", why.ticket_id}});
  tx.commit();
  return show(id);
}

auth::User UserAdmin::suspend(const Principal& actor, const UserId& id, const Justification& why,
                              const RequestMeta& meta) {
  check_justification(why, true);
  auto u = target_for(actor, id);
  const auto now = clock_.now_ms();
  store::Transaction tx(db_);
  users_.set_suspended(u.id, now, why.reason, now);
  // API keys stay, refused while the suspension lasts; download links are refused too.
  const auto ended = credentials_.end_all(u.id, {"", "", true}, "suspended");
  Json detail = ended.to_json();
  detail["reason"] = why.reason;
  detail["ticketId"] = why.ticket_id;
  audit_.record(&actor, meta, "user.suspend", "user:" + u.id.value, detail);
  tx.commit();
  return show(id);
}

auth::User UserAdmin::unsuspend(const Principal& actor, const UserId& id, const Justification& why,
                                const RequestMeta& meta) {
  check_justification(why, false);
  auto u = target_for(actor, id);
  store::Transaction tx(db_);
  users_.set_suspended(u.id, std::nullopt, std::nullopt, clock_.now_ms());
  audit_.record(&actor, meta, "user.unsuspend", "user:" + u.id.value,
                {{"reason", why.reason}, {"ticketId", why.ticket_id}});
  tx.commit();
  return show(id);
}

void UserAdmin::remove(const Principal& actor, const UserId& id, const Justification& why, const RequestMeta& meta) {
  check_justification(why, true);
  auto u = target_for(actor, id);
  store::Transaction tx(db_);
  if (!users_.remove_without_jobs(u.id))
    throw Error(Errc::conflict, "account " + u.id.value + " still holds jobs",
                "delete its jobs first (tseeder admin jobs ls --user " + u.id.value + ")");
  audit_.record(&actor, meta, "user.delete", "user:" + u.id.value,
                {{"email", u.email ? Json(*u.email) : Json()}, {"reason", why.reason}, {"ticketId", why.ticket_id}});
  tx.commit();
}

EndedCredentials UserAdmin::force_logout(const Principal& actor, const UserId& id, const Justification& why,
                                         const RequestMeta& meta) {
  check_justification(why, true);
  auto u = target_for(actor, id);
  store::Transaction tx(db_);
  // Logged out everywhere: scripts' keys and mailed reset tokens too.
  const auto ended = credentials_.end_all(u.id, {}, "forced logout");
  Json detail = ended.to_json();
  detail["reason"] = why.reason;
  detail["ticketId"] = why.ticket_id;
  audit_.record(&actor, meta, "user.force_logout", "user:" + u.id.value, detail);
  tx.commit();
  return ended;
}

auth::User UserAdmin::set_plan(const Principal& actor, const UserId& id, const std::string& plan,
                               const Justification& why, const RequestMeta& meta) {
  check_justification(why, true);
  auto u = target_for(actor, id);
  store::PlanRepo plans(db_);
  if (!plans.find(plan))
    throw Error(Errc::invalid_argument, "plan '" + plan + "' does not exist", "see tseeder admin plans ls", "plan");
  if (u.plan == plan) return u;
  store::Transaction tx(db_);
  plans.assign(u.id, plan, clock_.now_ms());
  audit_.record(&actor, meta, "user.plan", "user:" + u.id.value,
                {{"from", u.plan}, {"to", plan}, {"reason", why.reason}, {"ticketId", why.ticket_id}});
  tx.commit();
  return show(id);
}

}  // namespace tseeder::auth
