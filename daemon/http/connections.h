// Live HTTP connections: how many there are per client address, which to close first when room
// is needed, and how long a connection may wait for its client (slow-loris defence).
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "config/config.h"

namespace tseeder::daemon {

class Session;

struct ConnectionLimits {
  std::size_t max_connections = 512;        // TCP connections at once
  std::size_t max_per_address = 64;         // … from one client address
  std::chrono::seconds header_timeout{10};  // a request's header, from its first byte (or the accept)
  std::chrono::seconds idle_timeout{60};    // a kept-alive connection waiting for its next request
  std::chrono::seconds body_timeout{30};    // a request body with no progress
  std::chrono::seconds send_timeout{60};    // a response write with no progress
  // File descriptors kept free for the Unix socket, the database and downloads: a TCP
  // connection whose descriptor lands above (limit - reserve) needs room like one over the cap.
  int fd_reserve = 64;
  static ConnectionLimits from(const config::Config& cfg);
};

class Connections {
 public:
  void add(Session* s, std::weak_ptr<Session> session, const std::string& address, bool via_unix);
  void remove(Session* s);  // when closed or destroyed, whichever comes first
  // Room for a new TCP connection from `address`: true when it may be served, after closing the
  // longest-waiting connection that has not sent a whole request header (of that address when
  // it is at its own cap); false when every connection is busy with a request.
  bool make_room(const std::string& address, bool fd_pressure, const ConnectionLimits& limits);
  void close_all();
  std::size_t tcp() const { return tcp_; }

 private:
  struct Entry {
    std::weak_ptr<Session> session;
    std::string address;
    bool via_unix = false;
    std::uint64_t order = 0;  // accept order: lower is older
  };
  std::map<Session*, Entry> entries_;
  std::map<std::string, std::size_t> per_address_;  // TCP only
  std::size_t tcp_ = 0;
  std::uint64_t next_order_ = 0;
};

}  // namespace tseeder::daemon
