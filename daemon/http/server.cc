#include "http/server.h"

#include <sys/stat.h>

#include <charconv>
#include <filesystem>

#include "core/error.h"
#include "http/session.h"
#include "logging.h"

namespace tseeder::daemon {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Server::Server(net::io_context& io, App& app, Router router) : io_(io), app_(app), router_(std::move(router)) {}

void Server::listen_tcp(const std::string& host_port) {
  auto colon = host_port.rfind(':');
  std::string host = host_port.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned short port = 0;
  std::from_chars(host_port.data() + colon + 1, host_port.data() + host_port.size(), port);
  boost::system::error_code ec;
  auto addr = net::ip::make_address(host, ec);
  if (ec) throw Error(Errc::config, "listen: '" + host + "' is not an IP address", "use e.g. 127.0.0.1:8420");
  tcp::endpoint ep(addr, port);
  tcp_.emplace(io_);
  tcp_->open(ep.protocol());
  tcp_->set_option(net::socket_base::reuse_address(true));
  tcp_->bind(ep, ec);
  if (ec)
    throw Error(Errc::unavailable, "listen: cannot bind " + host_port + ": " + ec.message(),
                "pick another port with --listen HOST:PORT");
  tcp_->listen(net::socket_base::max_listen_connections);
  accept_tcp();
}

void Server::listen_unix(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code fec;
  // A socket file left by a crashed daemon would make bind fail; only remove sockets.
  if (fs::is_socket(path, fec)) fs::remove(path, fec);
  unix_.emplace(io_);
  boost::system::error_code ec;
  net::local::stream_protocol::endpoint ep(path);
  unix_->open(ep.protocol());
  unix_->bind(ep, ec);
  if (ec) throw Error(Errc::unavailable, "socket: cannot bind " + path + ": " + ec.message());
  ::chmod(path.c_str(), 0660);
  unix_->listen(net::socket_base::max_listen_connections);
  unix_path_ = path;
  accept_unix();
}

std::string Server::tcp_url() const {
  if (!tcp_) return {};
  auto ep = tcp_->local_endpoint();
  std::string host = ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
  return "http://" + host + ":" + std::to_string(ep.port());
}

void Server::accept_tcp() {
  tcp_->async_accept([this](boost::system::error_code ec, tcp::socket sock) {
    if (stopping_) return;
    if (!ec) {
      sock.set_option(tcp::no_delay(true));
      auto s = std::make_shared<Session>(Session::Socket(std::move(sock)), *this, false);
      s->start();
    }
    accept_tcp();
  });
}

void Server::accept_unix() {
  unix_->async_accept([this](boost::system::error_code ec, net::local::stream_protocol::socket sock) {
    if (stopping_) return;
    if (!ec) {
      auto s = std::make_shared<Session>(Session::Socket(std::move(sock)), *this, true);
      s->start();
    }
    accept_unix();
  });
}

void Server::shutdown() {
  stopping_ = true;
  boost::system::error_code ec;
  if (tcp_) tcp_->close(ec);
  if (unix_) {
    unix_->close(ec);
    std::error_code fec;
    std::filesystem::remove(unix_path_, fec);
  }
  auto sessions = registry_->sessions;
  for (auto& [ptr, weak] : sessions)
    if (auto s = weak.lock()) s->close();
}

}  // namespace tseeder::daemon
