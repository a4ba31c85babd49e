// Plans bought for a period: a confirmed payment puts the account on the plan until the period
// ends (a second period of the same plan follows the first), and the account goes back to the
// free plan when it ends, told by mail.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/ids.h"
#include "model/user.h"
#include "store/db.h"

namespace tseeder::billing {

// Tells an account's owner what happened to their plan (mail, when mail works).
using NotifyUser = std::function<void(const UserId& user, const std::string& subject, const std::string& text)>;

struct PaidPeriod {
  std::string plan_before;
  std::string plan;
  std::int64_t paid_until_ms = 0;
};

class PaidPlans {
 public:
  PaidPlans(store::Db& db, const Clock& clock, audit::AuditLog& audit, NotifyUser notify)
      : db_(db), clock_(clock), audit_(audit), notify_(std::move(notify)) {}
  // Inside the caller's transaction: the account is on `plan` for `days` more. The same plan
  // still running extends it; another plan starts now (what was left of it is not carried over).
  PaidPeriod grant(const UserId& user, const std::string& plan, std::int64_t days, const std::string& paid_by);
  // Inside the caller's transaction: a renewed subscription paid the plan until `until_ms` (never
  // shortens a period). False when nothing changed.
  bool extend_to(const UserId& user, const std::string& plan, std::int64_t until_ms, const std::string& paid_by);
  // Inside the caller's transaction: the paid period ends now (a cancelled subscription); the
  // account goes to the free plan. False when it was not on a bought `plan`.
  bool end_now(const UserId& user, const std::string& plan, const std::string& why);
  // Mails the owner about a grant once its transaction has committed.
  void announce(const UserId& user, const PaidPeriod& p);
  // Tells the owner something about their payments (a failed card payment).
  void tell(const UserId& user, const std::string& subject, const std::string& text) {
    if (notify_) notify_(user, subject, text);
  }
  // Mails the owner that a plan ended, once its transaction has committed.
  void announce_end(const UserId& user, const std::string& plan);
  // Accounts whose period ended go back to the free plan; how many did.
  int lapse_due();

 private:
  // The account on `plan` until `until_ms`, audited; inside the caller's transaction.
  void pay_until(const auth::User& u, const std::string& plan, std::int64_t until_ms, const std::string& paid_by);
  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  NotifyUser notify_;
};

}  // namespace tseeder::billing
