// Paces bytes to a rate, per transfer and for the engine as a whole: each taking pushes the
// time the line is clear on by bytes / rate (a virtual clock, as GCRA keeps), and the taker
// waits until then. Idle time is credited up to `kTolerance`, so the rate holds over any window
// with at most that much burst, and transfers sharing one pacer take turns.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace tseeder::engine_http {

class Pacer {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kTolerance{100};

  Pacer() = default;
  explicit Pacer(std::uint64_t bps) : bps_(bps) {}
  // 0: no limit. A new rate applies to the next bytes taken.
  void set_rate(std::uint64_t bps);
  std::uint64_t rate() const { return bps_.load(std::memory_order_relaxed); }
  // Takes `n` bytes: when they may count as received (now, or later when the rate is used up).
  Clock::time_point take(std::uint64_t n);

 private:
  std::atomic<std::uint64_t> bps_{0};
  std::mutex mutex_;
  Clock::time_point clear_{};  // when the bytes taken so far have had their time
};

// Takes `n` bytes from both pacers (either may be null) and sleeps until both allow them, in
// slices so `abort` is seen within 50 ms. False when aborted.
bool pace(std::uint64_t n, Pacer* job, Pacer* engine, const std::atomic<bool>& abort);

}  // namespace tseeder::engine_http
