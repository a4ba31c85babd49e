#include "model/retry_policy.h"

#include <algorithm>

namespace tseeder::queue {

std::int64_t RetryPolicy::delay_ms(int attempt, double jitter01) const {
  std::int64_t d = base_ms;
  for (int i = 1; i < attempt && d < cap_ms; ++i) d *= 2;
  d = std::min(d, cap_ms);
  // Jitter only shortens, so the cap stays a cap.
  return d - static_cast<std::int64_t>(static_cast<double>(d) * 0.2 * std::clamp(jitter01, 0.0, 1.0));
}

}  // namespace tseeder::queue
