// Token buckets keyed by what is limited ("login:ip:1.2.3.4"). In memory: limits reset when the
// daemon restarts, which only ever helps the caller once.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace tseeder::auth {

class RateLimiter {
 public:
  explicit RateLimiter(const Clock& clock) : clock_(clock) {}
  // Takes one token from the bucket of `key` that holds `per_window` tokens refilled evenly
  // over `window_s`. Returns nullopt when allowed, else the seconds until a token is back.
  // per_window 0 means no limit.
  std::optional<std::int64_t> take(const std::string& key, std::int64_t per_window, std::int64_t window_s);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t at_ms = 0;
  };
  void prune(std::int64_t now_ms);
  const Clock& clock_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::int64_t last_prune_ms_ = 0;
};

}  // namespace tseeder::auth
