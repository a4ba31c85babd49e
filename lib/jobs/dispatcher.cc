#include "jobs/dispatcher.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>

#include "jobs/job_flow.h"
#include "jobs/recovery.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {

namespace {
// A lease outlives any single run of this node; it only matters once several nodes share a queue.
constexpr std::int64_t kLeaseMs = 24LL * 3600 * 1000;
constexpr std::int64_t kSafetyTickMs = 5000;
}  // namespace

Dispatcher::Dispatcher(boost::asio::io_context& io, store::Db& db, JobFlow& flow, Recovery& recovery, Workers& workers,
                       const Clock& clock, std::string node)
    : io_(io),
      db_(db),
      flow_(flow),
      recovery_(recovery),
      workers_(workers),
      clock_(clock),
      node_(std::move(node)),
      timer_(io) {}

void Dispatcher::start() {
  stopped_ = false;
  poke();
}

void Dispatcher::stop() {
  stopped_ = true;
  timer_.cancel();
}

void Dispatcher::poke() {
  if (pass_pending_ || stopped_) return;
  pass_pending_ = true;
  boost::asio::post(io_, [this] {
    pass_pending_ = false;
    if (!stopped_) pass();
  });
}

void Dispatcher::arm_timer() {
  const auto now = clock_.now_ms();
  std::int64_t wait_ms = kSafetyTickMs;
  try {
    if (workers_.active() < workers_.capacity())
      if (auto due = store::QueueRepo(db_).next_ready_after(now))
        wait_ms = std::clamp<std::int64_t>(*due - now, 1, wait_ms);
  } catch (const std::exception&) {
    // The safety tick tries again; a store that cannot answer fails louder elsewhere.
  }
  timer_.expires_after(std::chrono::milliseconds(wait_ms));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !stopped_) pass();
  });
}

void Dispatcher::pass() {
  // Set again however the pass ends: one that throws must not leave the dispatcher asleep.
  struct Rearm {
    Dispatcher& d;
    ~Rearm() {
      if (!d.stopped_) d.arm_timer();
    }
  } rearm{*this};
  const std::size_t active = workers_.active();
  const std::size_t capacity = workers_.capacity();
  if (active < capacity) {
    store::QueueRepo queue(db_);
    const auto now = clock_.now_ms();
    auto leased = queue.lease_ready(node_, now, now + kLeaseMs, static_cast<int>(capacity - active));
    for (const auto& msg : leased) recovery_.guarded(msg.job_id, [&] { flow_.dispatch(msg.job_id); });
  }
  if (workers_.active() >= workers_.capacity()) flow_.mark_waiting();
}

}  // namespace tseeder::jobs
