#include "auth/login_throttle.h"

#include <algorithm>

namespace tseeder::auth {

namespace {
std::string key(const std::string& email, const std::string& address) {
  return email + "\n" + address;
}
// Past this many accounts or pairs, new ones are not tracked: memory stays bounded under a
// flood from many addresses, and the per-address login rate limit still holds.
constexpr std::size_t kMaxTracked = 100'000;
}  // namespace

double LoginThrottle::decayed(Account& a, std::int64_t now_ms) const {
  const double per_ms = static_cast<double>(s_.account_per_minute) / 60'000.0;
  a.recent = std::max(0.0, a.recent - static_cast<double>(now_ms - a.at_ms) * per_ms);
  a.at_ms = now_ms;
  return a.recent;
}

std::optional<std::int64_t> LoginThrottle::locked_out(const std::string& email, const std::string& address) {
  const auto now = clock_.now_ms();
  prune(now);
  auto it = pairs_.find(key(email, address));
  if (it == pairs_.end() || it->second.locked_until_ms <= now) return std::nullopt;
  return (it->second.locked_until_ms - now + 999) / 1000;
}

std::int64_t LoginThrottle::delay_ms(const std::string& email) {
  if (s_.account_per_minute <= 0) return 0;
  auto it = accounts_.find(email);
  if (it == accounts_.end()) return 0;
  return decayed(it->second, clock_.now_ms()) >= static_cast<double>(s_.account_per_minute) ? s_.slow_ms : 0;
}

std::int64_t LoginThrottle::failed(const std::string& email, const std::string& address) {
  const auto now = clock_.now_ms();
  prune(now);
  if (accounts_.size() < kMaxTracked || accounts_.contains(email)) {
    auto& a = accounts_[email];
    if (a.at_ms == 0) a.at_ms = now;
    decayed(a, now);
    a.recent += 1;
  }
  const auto k = key(email, address);
  if (pairs_.size() >= kMaxTracked && !pairs_.contains(k)) return 1;
  auto& p = pairs_[k];
  p.failures += 1;
  p.last_ms = now;
  if (p.failures >= s_.failures_to_lock) p.locked_until_ms = now + s_.lock_ms;
  return p.failures;
}

void LoginThrottle::succeeded(const std::string& email, const std::string& address) {
  pairs_.erase(key(email, address));
}

void LoginThrottle::prune(std::int64_t now_ms) {
  if (now_ms - last_prune_ms_ < 60'000) return;
  last_prune_ms_ = now_ms;
  // A failure streak older than the lock window is forgotten; a streak is "in a row" only while
  // it keeps coming.
  std::erase_if(pairs_, [&](const auto& e) {
    return e.second.locked_until_ms <= now_ms && now_ms - e.second.last_ms > s_.lock_ms;
  });
  for (auto it = accounts_.begin(); it != accounts_.end();)
    it = decayed(it->second, now_ms) <= 0.0 ? accounts_.erase(it) : std::next(it);
}

}  // namespace tseeder::auth
