// The event loop's lag: a timer due every `period` notes how late it runs, which is how long
// some handler kept the loop from everything else. A turn late by more than the threshold is
// logged (at most once a second, with how many more there were).
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>

namespace tseeder::daemon {

class LoopLag {
 public:
  using ms = std::chrono::milliseconds;
  explicit LoopLag(boost::asio::io_context& io, ms period = ms(200), ms threshold = ms(50));
  void start();
  void stop();

 private:
  void arm();
  void fired();

  boost::asio::steady_timer timer_;
  ms period_;
  ms threshold_;
  std::chrono::steady_clock::time_point due_;
  std::chrono::steady_clock::time_point last_log_;
  std::int64_t unlogged_ = 0;
  bool stopped_ = true;
};

}  // namespace tseeder::daemon
