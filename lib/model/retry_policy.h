// When a retryable failure is tried again: exponential backoff with jitter, bounded attempts.
#pragma once
#include <cstdint>

namespace tseeder::queue {

struct RetryPolicy {
  int max_attempts = 5;
  std::int64_t base_ms = 15'000;
  std::int64_t cap_ms = 600'000;

  // attempt counts from 1 (the first failure). `jitter01` in [0,1) spreads retries by up to 20%.
  std::int64_t delay_ms(int attempt, double jitter01) const;
  bool may_retry(int failures_so_far) const { return failures_so_far < max_attempts; }
};

}  // namespace tseeder::queue
