#include "billing/paid_plans.h"

#include "core/error.h"
#include "model/job.h"
#include "store/plan_repo.h"
#include "store/user_repo.h"

namespace tseeder::billing {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr int kLapseBatch = 200;

}  // namespace

PaidPeriod PaidPlans::grant(const UserId& user, const std::string& plan, std::int64_t days,
                            const std::string& paid_by) {
  auto u = store::UserRepo(db_).find(user);
  if (!u) throw Error(Errc::not_found, "account " + user.value + " not found");
  const std::int64_t now = clock_.now_ms();
  const bool running = u->plan == plan && u->plan_paid_until_ms && *u->plan_paid_until_ms > now;
  PaidPeriod p{u->plan, plan, (running ? *u->plan_paid_until_ms : now) + days * kDayMs};
  pay_until(*u, plan, p.paid_until_ms, paid_by);
  return p;
}

void PaidPlans::pay_until(const auth::User& u, const std::string& plan, std::int64_t until_ms,
                          const std::string& paid_by) {
  store::PlanRepo(db_).assign_paid(u.id, plan, until_ms, clock_.now_ms());
  audit_.record_system("user.plan", "user:" + u.id.value,
                       {{"from", u.plan}, {"to", plan}, {"paidUntil", jobs::iso8601(until_ms)}, {"paidBy", paid_by}});
}

void PaidPlans::announce(const UserId& user, const PaidPeriod& p) {
  if (!notify_) return;
  notify_(user, "Your plan is now " + p.plan,
          "Thank you: your payment is confirmed.\n\nYour account is on the " + p.plan + " plan until " +
              jobs::iso8601(p.paid_until_ms) +
              " (UTC).\nAfter that it goes back to the free plan unless you buy "
              "another period: tseeder wallet buy " +
              p.plan + " --coin COIN\n");
}

bool PaidPlans::extend_to(const UserId& user, const std::string& plan, std::int64_t until_ms,
                          const std::string& paid_by) {
  auto u = store::UserRepo(db_).find(user);
  if (!u || (u->plan == plan && u->plan_paid_until_ms && *u->plan_paid_until_ms >= until_ms)) return false;
  pay_until(*u, plan, until_ms, paid_by);
  return true;
}

bool PaidPlans::end_now(const UserId& user, const std::string& plan, const std::string& why) {
  auto u = store::UserRepo(db_).find(user);
  if (!u || u->plan != plan || !u->plan_paid_until_ms) return false;
  store::PlanRepo(db_).assign(user, "free", clock_.now_ms());
  audit_.record_system("user.plan", "user:" + user.value, {{"from", plan}, {"to", "free"}, {"why", why}});
  return true;
}

void PaidPlans::announce_end(const UserId& user, const std::string& plan) {
  if (!notify_) return;
  notify_(user, "Your " + plan + " plan has ended",
          "The period you paid for the " + plan +
              " plan has ended; your account is on the free plan now.\n"
              "Its limits apply from now on. To buy another period: tseeder wallet buy " +
              plan + " --coin COIN\n");
}

int PaidPlans::lapse_due() {
  store::PlanRepo plans(db_);
  int lapsed = 0;
  for (const auto& [user, plan] : plans.lapsed(clock_.now_ms(), kLapseBatch)) {
    store::Transaction tx(db_);
    if (!plans.lapse(user, clock_.now_ms())) continue;
    audit_.record_system("user.plan", "user:" + user.value, {{"from", plan}, {"to", "free"}, {"why", "period ended"}});
    tx.commit();
    ++lapsed;
    announce_end(user, plan);
  }
  return lapsed;
}

}  // namespace tseeder::billing
