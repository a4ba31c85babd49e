#include "loop_lag.h"

#include "logging.h"

namespace tseeder::daemon {

LoopLag::LoopLag(boost::asio::io_context& io, ms period, ms threshold)
    : timer_(io), period_(period), threshold_(threshold) {}

void LoopLag::start() {
  stopped_ = false;
  arm();
}

void LoopLag::stop() {
  stopped_ = true;
  timer_.cancel();
}

void LoopLag::arm() {
  due_ = std::chrono::steady_clock::now() + period_;
  timer_.expires_at(due_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !stopped_) fired();
  });
}

void LoopLag::fired() {
  const auto now = std::chrono::steady_clock::now();
  const auto late = std::chrono::duration_cast<ms>(now - due_).count();
  if (late > threshold_.count()) {
    if (now - last_log_ >= std::chrono::seconds(1)) {
      log(Level::warn, "daemon", "the event loop was held up", {{"ms", late}, {"alsoSinceLastWarning", unlogged_}});
      last_log_ = now;
      unlogged_ = 0;
    } else {
      ++unlogged_;
    }
  }
  arm();
}

}  // namespace tseeder::daemon
