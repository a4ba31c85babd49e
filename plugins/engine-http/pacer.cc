#include "pacer.h"

#include <algorithm>
#include <thread>

namespace tseeder::engine_http {

void Pacer::set_rate(std::uint64_t bps) {
  std::lock_guard lock(mutex_);
  bps_.store(bps, std::memory_order_relaxed);
  clear_ = Clock::now();  // time owed at the old rate is forgiven, not carried over
}

Pacer::Clock::time_point Pacer::take(std::uint64_t n) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  const std::uint64_t bps = bps_.load(std::memory_order_relaxed);
  if (bps == 0) return now;
  // Idle time counts only up to the tolerance: a pause earns no burst beyond it.
  clear_ = std::max(clear_, now - kTolerance);
  clear_ += std::chrono::nanoseconds(static_cast<std::int64_t>(n * 1'000'000'000.0 / static_cast<double>(bps)));
  return clear_;
}

bool pace(std::uint64_t n, Pacer* job, Pacer* engine, const std::atomic<bool>& abort) {
  auto until = Pacer::Clock::now();
  if (job) until = std::max(until, job->take(n));
  if (engine) until = std::max(until, engine->take(n));
  for (;;) {
    if (abort.load(std::memory_order_relaxed)) return false;
    const auto now = Pacer::Clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<Pacer::Clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
}

}  // namespace tseeder::engine_http
