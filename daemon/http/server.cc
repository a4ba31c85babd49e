#include "http/server.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <charconv>
#include <filesystem>

#include "app.h"
#include "core/error.h"
#include "http/session.h"
#include "logging.h"

namespace tseeder::daemon {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Server::Server(net::io_context& io, App& app, Router router)
    : io_(io),
      app_(app),
      commits_(*app.commits),
      router_(std::move(router)),
      limits_(ConnectionLimits::from(app.cfg)),
      tcp_retry_(io),
      unix_retry_(io) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    fd_limit_ = static_cast<int>(std::min<rlim_t>(rl.rlim_cur, 1 << 30));
  else
    fd_limit_ = 1 << 30;
}

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

namespace {
// Errors that say the process or the system is out of something: accepting again at once would
// fail again at once.
bool out_of_resources(const boost::system::error_code& ec) {
  return ec == net::error::no_descriptors || ec == net::error::no_buffer_space || ec == net::error::no_memory ||
         ec.value() == ENFILE;
}
constexpr auto kAcceptBackOff = std::chrono::milliseconds(100);
}  // namespace

void Server::accept_tcp() {
  tcp_->async_accept([this](boost::system::error_code ec, tcp::socket sock) {
    if (stopping_) return;
    if (ec && out_of_resources(ec)) return back_off(tcp_retry_, &Server::accept_tcp);
    if (!ec) serve_tcp(std::move(sock));
    accept_tcp();
  });
}

void Server::serve_tcp(tcp::socket sock) {
  Peer peer = identify_peer(sock.native_handle(), false);
  const bool fd_pressure = sock.native_handle() >= fd_limit_ - limits_.fd_reserve;
  const auto before = connections_->tcp();
  if (!connections_->make_room(peer.address, fd_pressure, limits_)) return note_turned_away(true);
  if (connections_->tcp() < before) note_turned_away(false);
  boost::system::error_code ec;
  sock.set_option(tcp::no_delay(true), ec);
  std::make_shared<Session>(Session::Socket(std::move(sock)), *this, false, std::move(peer))->start();
}

void Server::accept_unix() {
  unix_->async_accept([this](boost::system::error_code ec, net::local::stream_protocol::socket sock) {
    if (stopping_) return;
    if (ec && out_of_resources(ec)) return back_off(unix_retry_, &Server::accept_unix);
    if (!ec) {
      Peer peer = identify_peer(sock.native_handle(), true);
      std::make_shared<Session>(Session::Socket(std::move(sock)), *this, true, std::move(peer))->start();
    }
    accept_unix();
  });
}

void Server::back_off(net::steady_timer& timer, void (Server::*accept)()) {
  note_turned_away(true);
  timer.expires_after(kAcceptBackOff);
  timer.async_wait([this, accept](const boost::system::error_code& ec) {
    if (!ec && !stopping_) (this->*accept)();
  });
}

void Server::note_turned_away(bool refused) {
  ++(refused ? refused_ : evicted_);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_note_ < std::chrono::seconds(10)) return;
  last_note_ = now;
  log(Level::warn, "http", "connections turned away: too many at once, or open files running short",
      {{"refused", refused_},
       {"closedWhileWaiting", evicted_},
       {"open", connections_->tcp()},
       {"hint", "see http.max_connections, http.max_connections_per_address and the open-file limit"}});
  refused_ = evicted_ = 0;
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
  tcp_retry_.cancel();
  unix_retry_.cancel();
  connections_->close_all();
}

}  // namespace tseeder::daemon
