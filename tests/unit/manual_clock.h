// A clock the test moves by hand.
#pragma once
#include "core/clock.h"

namespace tseeder {

struct ManualClock final : Clock {
  std::int64_t now = 1'700'000'000'000;
  std::int64_t now_ms() const override { return now; }
};

}  // namespace tseeder
