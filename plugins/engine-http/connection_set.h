// The connections of one download on the transfer's multi handle. curl drives each request
// until it ends or hands its body over (connection.h); the set then pumps those bodies itself,
// and one poll waits for both kinds.
#pragma once
#include <curl/curl.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "connection.h"

namespace tseeder::engine_http {

class ConnectionSet {
 public:
  explicit ConnectionSet(CURLM* multi) : multi_(multi) {}
  ~ConnectionSet() { clear(); }
  ConnectionSet(const ConnectionSet&) = delete;
  ConnectionSet& operator=(const ConnectionSet&) = delete;

  Connection& add(std::unique_ptr<Connection> c);
  void clear();  // every connection stopped and closed
  // Connections still fetching, by curl or by splice.
  int running() const { return running_; }

  // Lets curl move what has arrived, calling `ended` for each request that curl ended (a
  // hand-over is not an end: that connection keeps running), then pumps the handed-over bodies
  // until one fails, which sets `failure`.
  void step(const std::function<void(Connection&, CURLcode)>& ended, std::optional<Failure>& failure);
  // Waits until something arrives, a wake-up, curl's next timer or `timeout_ms`.
  void poll(int timeout_ms);

 private:
  CURLM* const multi_;
  std::vector<std::unique_ptr<Connection>> list_;
  int running_ = 0;
};

}  // namespace tseeder::engine_http
