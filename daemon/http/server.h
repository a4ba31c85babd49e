// Accepts HTTP connections on a TCP address and on a Unix socket; both serve the same routes.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>

#include "http/connections.h"
#include "http/grouped_commits.h"
#include "http/router.h"

namespace tseeder::daemon {

class Server {
 public:
  Server(boost::asio::io_context& io, App& app, Router router);
  // Throws Error(Errc::config/unavailable) when an address cannot be used.
  void listen_tcp(const std::string& host_port);
  void listen_unix(const std::string& path);
  std::string tcp_url() const;  // "http://127.0.0.1:PORT" with the real port
  // Stops accepting and closes every connection (live streams end).
  void shutdown();

  App& app() { return app_; }
  GroupedCommits& commits() { return commits_; }
  const Router& router() const { return router_; }
  const ConnectionLimits& limits() const { return limits_; }
  // Shared with the sessions, so one that outlives the Server (its last handler destroyed with
  // the io_context) can still unregister safely.
  const std::shared_ptr<Connections>& connections() const { return connections_; }

 private:
  void accept_tcp();
  void accept_unix();
  void serve_tcp(boost::asio::ip::tcp::socket sock);
  // After an accept error such as EMFILE: try again a little later instead of spinning.
  void back_off(boost::asio::steady_timer& timer, void (Server::*accept)());
  // Refused and closed-for-room connections, logged at most every 10 s.
  void note_turned_away(bool refused);

  boost::asio::io_context& io_;
  App& app_;
  GroupedCommits& commits_;
  Router router_;
  ConnectionLimits limits_;
  int fd_limit_ = 1024;  // the process's open-file limit
  std::optional<boost::asio::ip::tcp::acceptor> tcp_;
  std::optional<boost::asio::local::stream_protocol::acceptor> unix_;
  boost::asio::steady_timer tcp_retry_, unix_retry_;
  std::string unix_path_;
  std::shared_ptr<Connections> connections_ = std::make_shared<Connections>();
  bool stopping_ = false;
  std::uint64_t refused_ = 0, evicted_ = 0;
  std::chrono::steady_clock::time_point last_note_{};
};

}  // namespace tseeder::daemon
