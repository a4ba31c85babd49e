#include "auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace tseeder::auth {

namespace {
// Buckets idle this long are full again and can be forgotten; every window here is ≤ 1 hour.
constexpr std::int64_t kForgetAfterMs = 3600 * 1000;
}  // namespace

std::optional<std::int64_t> RateLimiter::take(const std::string& key, std::int64_t per_window, std::int64_t window_s) {
  if (per_window <= 0) return std::nullopt;
  const std::int64_t now = clock_.now_ms();
  prune(now);
  const double rate_per_ms = static_cast<double>(per_window) / (static_cast<double>(window_s) * 1000.0);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{static_cast<double>(per_window), now});
  Bucket& b = it->second;
  if (!fresh) {
    b.tokens = std::min(static_cast<double>(per_window), b.tokens + static_cast<double>(now - b.at_ms) * rate_per_ms);
    b.at_ms = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) / rate_per_ms / 1000.0)));
}

void RateLimiter::prune(std::int64_t now_ms) {
  if (now_ms - last_prune_ms_ < 60'000) return;
  last_prune_ms_ = now_ms;
  std::erase_if(buckets_, [now_ms](const auto& kv) { return now_ms - kv.second.at_ms > kForgetAfterMs; });
}

}  // namespace tseeder::auth
