// A Server-Sent Events body fed by the progress hub, with keep-alive comments so dead clients
// are noticed.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <string>

#include "http/request.h"
#include "progress/progress_hub.h"

namespace tseeder::daemon {

class SseStream final : public BodyStream, public std::enable_shared_from_this<SseStream> {
 public:
  explicit SseStream(boost::asio::io_context& io);
  // Live events of `job`; the stream ends after a terminal status or deletion.
  void subscribe(progress::ProgressHub& hub, const JobId& job);
  // seq 0 writes no id line (a snapshot that is not part of the numbered timeline).
  void push(std::int64_t seq, const std::string& type, const std::string& data);
  void end();  // no more frames after those queued
  void pull(PullFn done) override;
  void cancel() override;

  static std::string frame(std::int64_t seq, const std::string& type, const std::string& data);

 private:
  void arm_keepalive();
  void deliver();

  boost::asio::steady_timer keepalive_;
  progress::ProgressHub::Subscription sub_;
  std::deque<std::string> frames_;
  PullFn pending_;
  bool ended_ = false;
};

}  // namespace tseeder::daemon
