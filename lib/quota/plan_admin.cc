#include "quota/plan_admin.h"

#include "core/error.h"
#include "quota/quota.h"

namespace tseeder::quota {
namespace {

struct LimitField {
  const char* key;
  std::optional<std::int64_t> quota::Plan::*member;
};

constexpr LimitField kLimits[] = {
    {"maxActiveJobs", &quota::Plan::max_active_jobs}, {"storageBytes", &quota::Plan::storage_bytes},
    {"maxFileBytes", &quota::Plan::max_file_bytes},   {"bandwidthBytesPerMonth", &quota::Plan::bandwidth_bytes_month},
    {"retentionDays", &quota::Plan::retention_days},  {"maxSessions", &quota::Plan::max_sessions},
};

std::string limit_text(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "unlimited";
}

// The plan's fields that differ, as config history edits (plan.<id>.<field>).
std::vector<audit::SettingEdit> edits_of(const quota::Plan& before, const quota::Plan& after) {
  const std::string prefix = "plan." + before.id + ".";
  std::vector<audit::SettingEdit> out;
  if (before.name != after.name) out.push_back({prefix + "name", before.name, after.name});
  for (const auto& f : kLimits)
    if (before.*f.member != after.*f.member)
      out.push_back({prefix + f.key, limit_text(before.*f.member), limit_text(after.*f.member)});
  return out;
}

}  // namespace

quota::Plan PlanAdmin::show(const std::string& id) {
  auto p = store::PlanRepo(db_).find(id);
  if (!p) throw Error(Errc::not_found, "plan '" + id + "' not found", "see tseeder admin plans ls");
  return *p;
}

quota::Plan PlanAdmin::update(const auth::Principal& actor, const std::string& id, const Json& change,
                              const auth::Justification& why, const auth::RequestMeta& meta) {
  auth::check_justification(why, true);
  quota::Plan plan = show(id);
  const quota::Plan before = plan;
  reject_unknown_fields(change, {"name", "maxActiveJobs", "storageBytes", "maxFileBytes", "bandwidthBytesPerMonth",
                                 "retentionDays", "maxSessions"});
  if (change.empty()) throw Error(Errc::invalid_argument, "nothing to change", "give at least one field");
  if (change.contains("name")) {
    if (!change["name"].is_string() || change["name"].get<std::string>().empty() ||
        change["name"].get<std::string>().size() > 60)
      throw Error(Errc::invalid_argument, "field 'name' must be 1 to 60 characters", {}, "name");
    plan.name = change["name"].get<std::string>();
  }
  for (const auto& f : kLimits) {
    if (!change.contains(f.key)) continue;
    const Json& v = change[f.key];
    if (v.is_null()) {
      plan.*f.member = std::nullopt;
    } else if (v.is_number_unsigned() && v.get<std::uint64_t>() <= (1ULL << 53)) {
      plan.*f.member = v.get<std::int64_t>();
    } else {
      throw Error(Errc::invalid_argument,
                  std::string("field '") + f.key + "' must be a whole number from 0 to 2^53, or null for no limit", {},
                  f.key);
    }
  }
  store::Transaction tx(db_);
  store::PlanRepo(db_).update(plan);
  history_.record(actor, why, edits_of(before, plan));
  audit_.record(
      &actor, meta, "plan.update", "plan:" + id,
      {{"before", to_json(before)}, {"after", to_json(plan)}, {"reason", why.reason}, {"ticketId", why.ticket_id}});
  tx.commit();
  return plan;
}

}  // namespace tseeder::quota
