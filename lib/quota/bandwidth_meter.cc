#include "quota/bandwidth_meter.h"

#include "core/process_counters.h"

#include <algorithm>

#include "core/error.h"
#include "core/units.h"
#include "quota/calendar_month.h"
#include "store/plan_repo.h"
#include "store/usage_repo.h"

namespace tseeder::quota {

BandwidthMeter::Reservation::Reservation(std::shared_ptr<State> state, std::string user, std::string month,
                                         std::int64_t bytes)
    : state_(std::move(state)), user_(std::move(user)), month_(std::move(month)), left_(bytes) {
  state_->reserved[user_] += left_;
}

BandwidthMeter::Reservation::~Reservation() {
  if ((state_->reserved[user_] -= left_) <= 0) state_->reserved.erase(user_);
}

void BandwidthMeter::Reservation::sent(std::uint64_t bytes) {
  const auto n = static_cast<std::int64_t>(bytes);
  const auto from_reserve = std::min(n, left_);
  left_ -= from_reserve;
  state_->reserved[user_] -= from_reserve;
  state_->unflushed[{user_, month_}] += n;
  process_counters().served_bytes += bytes;
}

BandwidthMeter::BandwidthMeter(store::Db& db, const Clock& clock) : db_(db), clock_(clock) {}

std::int64_t BandwidthMeter::used(const UserId& owner) {
  const auto month = month_of(clock_.now_ms()).name;
  auto it = state_->unflushed.find({owner.value, month});
  return store::UsageRepo(db_).bandwidth(owner, month) + (it == state_->unflushed.end() ? 0 : it->second);
}

std::shared_ptr<BandwidthMeter::Reservation> BandwidthMeter::reserve(const UserId& owner, std::uint64_t bytes) {
  const auto month = month_of(clock_.now_ms());
  auto plan = store::PlanRepo(db_).of_user(owner);
  if (plan && plan->bandwidth_bytes_month) {
    auto it = state_->reserved.find(owner.value);
    const std::int64_t in_flight = it == state_->reserved.end() ? 0 : it->second;
    const std::int64_t used_now = used(owner);
    const std::int64_t limit = *plan->bandwidth_bytes_month;
    if (used_now + in_flight + static_cast<std::int64_t>(bytes) > limit) {
      const auto left = std::max<std::int64_t>(0, limit - used_now - in_flight);
      throw Error(Errc::quota_bandwidth,
                  "this download is " + format_bytes(bytes) + " but " + format_bytes(static_cast<std::uint64_t>(left)) +
                      " of the " + plan->name + " plan's " + format_bytes(static_cast<std::uint64_t>(limit)) +
                      " monthly bandwidth is left",
                  "it resets on the 1st (UTC); see tseeder usage")
          .retry_after(std::max<std::int64_t>(1, (month.end_ms - clock_.now_ms()) / 1000));
    }
  }
  return std::make_shared<Reservation>(state_, owner.value, month.name, static_cast<std::int64_t>(bytes));
}

void BandwidthMeter::flush() {
  if (state_->unflushed.empty()) return;
  store::UsageRepo repo(db_);
  store::Transaction tx(db_);
  for (const auto& [key, bytes] : state_->unflushed)
    if (bytes > 0) repo.add_bandwidth(UserId{key.first}, key.second, bytes);
  tx.commit();
  state_->unflushed.clear();
}

}  // namespace tseeder::quota
