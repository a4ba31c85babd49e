// Accepts HTTP connections on a TCP address and on a Unix socket; both serve the same routes.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "http/router.h"

namespace tseeder::daemon {

class Session;

// Live sessions, shared with the sessions themselves so one that outlives the Server (its last
// handler destroyed with the io_context) can still unregister safely.
struct SessionRegistry {
  std::map<Session*, std::weak_ptr<Session>> sessions;
};

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
  const Router& router() const { return router_; }
  const std::shared_ptr<SessionRegistry>& registry() const { return registry_; }

 private:
  void accept_tcp();
  void accept_unix();

  boost::asio::io_context& io_;
  App& app_;
  Router router_;
  std::optional<boost::asio::ip::tcp::acceptor> tcp_;
  std::optional<boost::asio::local::stream_protocol::acceptor> unix_;
  std::string unix_path_;
  std::shared_ptr<SessionRegistry> registry_ = std::make_shared<SessionRegistry>();
  bool stopping_ = false;
};

}  // namespace tseeder::daemon
