// Time is injected wherever it matters (backoff, expiry), so tests can move it.
#pragma once
#include <chrono>
#include <cstdint>

namespace tseeder {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now_ms() const = 0;  // Unix epoch milliseconds
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

}  // namespace tseeder
