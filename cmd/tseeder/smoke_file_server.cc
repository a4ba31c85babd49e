#include "smoke_file_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "core/error.h"

namespace tseeder::cli {

SmokeFileServer::SmokeFileServer(std::string name, std::string content)
    : name_(std::move(name)), content_(std::move(content)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 8) != 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string why = std::strerror(errno);
    if (listen_fd_ >= 0) ::close(listen_fd_);
    throw Error(Errc::internal, "smoke: cannot serve a test file on 127.0.0.1: " + why, "give --source URL");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

SmokeFileServer::~SmokeFileServer() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  thread_.join();
  ::close(listen_fd_);
}

std::string SmokeFileServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + name_;
}

void SmokeFileServer::serve() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    answer(fd);
    ::close(fd);
  }
}

void SmokeFileServer::answer(int fd) {
  // One request per connection: read its head, answer, close.
  std::string head;
  char buf[4096];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 64 * 1024) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return;
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    head.append(buf, static_cast<std::size_t>(n));
  }
  const bool is_head = head.starts_with("HEAD ");
  const bool found = head.starts_with((is_head ? "HEAD /" : "GET /") + name_ + " ");
  std::string reply = found ? "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                                  std::to_string(content_.size()) + "\r\n"
                            : std::string("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n");
  reply += "Connection: close\r\n\r\n";
  if (found && !is_head) reply += content_;
  for (std::size_t sent = 0; sent < reply.size();) {
    const auto n = ::send(fd, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace tseeder::cli
