#include "quota/quota.h"

#include "core/units.h"
#include "quota/bandwidth_meter.h"
#include "quota/calendar_month.h"
#include "store/usage_repo.h"

namespace tseeder::quota {
namespace {

std::string sized(std::int64_t bytes) {
  return format_bytes(static_cast<std::uint64_t>(bytes < 0 ? 0 : bytes));
}

const char* kUsageHint = "see tseeder usage; delete finished jobs or change plan";

}  // namespace

Quota::Quota(store::Db& db, const Clock& clock, BandwidthMeter& meter) : db_(db), clock_(clock), meter_(meter) {}

quota::Plan Quota::plan_of(const UserId& user) {
  auto plan = store::PlanRepo(db_).of_user(user);
  if (!plan) throw Error(Errc::not_found, "account " + user.value + " not found");
  return *plan;
}

void Quota::check_admission(const UserId& user, std::optional<std::uint64_t> known_bytes) {
  const auto plan = plan_of(user);
  store::UsageRepo usage(db_);
  if (plan.max_active_jobs) {
    const auto active = usage.active_jobs(user);
    if (active >= *plan.max_active_jobs)
      throw Error(Errc::quota_jobs,
                  "the " + plan.name + " plan allows " + std::to_string(*plan.max_active_jobs) + " active job(s) and " +
                      std::to_string(active) + " are active",
                  "wait for one to finish, or cancel one");
  }
  if (plan.storage_bytes) {
    const auto used = usage.stored_bytes(user) + usage.incoming_bytes(user, JobId{});
    const auto need = static_cast<std::int64_t>(known_bytes.value_or(0));
    if (used >= *plan.storage_bytes || (need > 0 && used + need > *plan.storage_bytes))
      throw Error(Errc::quota_storage,
                  "storage of the " + plan.name + " plan is " + sized(*plan.storage_bytes) + " and " + sized(used) +
                      " is used or on its way" + (need > 0 ? "; this content is " + sized(need) : std::string()),
                  kUsageHint);
  }
}

std::optional<Error> Quota::check_content(const UserId& user, const JobId& job,
                                          const std::vector<jobs::ContentFile>& files) {
  const auto plan = plan_of(user);
  std::int64_t wanted = 0;
  const jobs::ContentFile* largest = nullptr;
  for (const auto& f : files) {
    if (f.priority == 0) continue;
    wanted += static_cast<std::int64_t>(f.size_bytes);
    if (!largest || f.size_bytes > largest->size_bytes) largest = &f;
  }
  if (plan.max_file_bytes && largest && static_cast<std::int64_t>(largest->size_bytes) > *plan.max_file_bytes)
    return Error(Errc::quota_file_size,
                 "'" + largest->path + "' is " + sized(static_cast<std::int64_t>(largest->size_bytes)) + "; the " +
                     plan.name + " plan allows files up to " + sized(*plan.max_file_bytes),
                 "leave the file out when adding the job, or change plan");
  if (plan.storage_bytes) {
    store::UsageRepo usage(db_);
    const auto used = usage.stored_bytes(user) + usage.incoming_bytes(user, job);
    if (used + wanted > *plan.storage_bytes)
      return Error(Errc::quota_storage,
                   "this job needs " + sized(wanted) + " but only " + sized(*plan.storage_bytes - used) + " of the " +
                       plan.name + " plan's " + sized(*plan.storage_bytes) + " storage is free",
                   kUsageHint);
  }
  return std::nullopt;
}

Usage Quota::usage(const UserId& user) {
  Usage u;
  u.plan = plan_of(user);
  store::UsageRepo repo(db_);
  u.active_jobs = repo.active_jobs(user);
  u.stored_bytes = repo.stored_bytes(user);
  u.incoming_bytes = repo.incoming_bytes(user, JobId{});
  const auto month = month_of(clock_.now_ms());
  u.month = month.name;
  u.month_start_ms = month.start_ms;
  u.month_end_ms = month.end_ms;
  u.bandwidth_bytes = meter_.used(user);
  return u;
}

Json to_json(const quota::Plan& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"maxActiveJobs", or_null(p.max_active_jobs)},
          {"storageBytes", or_null(p.storage_bytes)},
          {"maxFileBytes", or_null(p.max_file_bytes)},
          {"bandwidthBytesPerMonth", or_null(p.bandwidth_bytes_month)},
          {"retentionDays", or_null(p.retention_days)},
          {"maxSessions", or_null(p.max_sessions)}};
}

Json to_json(const Usage& u) {
  auto entry = [](const std::optional<std::int64_t>& limit, std::int64_t used) {
    Json j{{"limit", or_null(limit)}, {"used", used}};
    j["remaining"] = limit ? Json(std::max<std::int64_t>(0, *limit - used)) : Json(nullptr);
    return j;
  };
  Json storage = entry(u.plan.storage_bytes, u.stored_bytes + u.incoming_bytes);
  storage["stored"] = u.stored_bytes;
  storage["incoming"] = u.incoming_bytes;
  Json bandwidth = entry(u.plan.bandwidth_bytes_month, u.bandwidth_bytes);
  bandwidth["month"] = u.month;
  bandwidth["resetsAt"] = u.month_end_ms;
  return {{"plan", to_json(u.plan)}, {"activeJobs", entry(u.plan.max_active_jobs, u.active_jobs)},
          {"storage", storage},      {"maxFileBytes", or_null(u.plan.max_file_bytes)},
          {"bandwidth", bandwidth},  {"retentionDays", or_null(u.plan.retention_days)}};
}

}  // namespace tseeder::quota
