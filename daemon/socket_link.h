// The link that lets the CLI find this daemon from any directory (advertised_socket_path()).
#pragma once
#include <string>

namespace tseeder::daemon {

class SocketLink {
 public:
  // Points the advertised link at `socket` unless it leads to another daemon that answers;
  // a link left by a daemon that died is replaced. Trouble here is logged, never fatal: the
  // socket itself works without it.
  explicit SocketLink(const std::string& socket);
  // Removes the link if it still points at this daemon's socket.
  ~SocketLink();
  SocketLink(const SocketLink&) = delete;
  SocketLink& operator=(const SocketLink&) = delete;

 private:
  std::string link_;    // empty: no link kept
  std::string target_;  // the socket's absolute path
};

}  // namespace tseeder::daemon
