#include "http/peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace tseeder::daemon {

Peer identify_peer(int fd, bool via_unix) {
  Peer p;
  if (via_unix) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
      p.uid = cred.uid;
      p.address = "unix:" + std::to_string(cred.uid);
    } else {
      p.address = "unix:unknown";
    }
    return p;
  }
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  char buf[INET6_ADDRSTRLEN] = "";
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
    if (ss.ss_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr, buf, sizeof buf);
    } else if (ss.ss_family == AF_INET6) {
      auto* a6 = reinterpret_cast<sockaddr_in6*>(&ss);
      // An IPv4 client on a dual-stack socket is the same client as over IPv4.
      if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr))
        inet_ntop(AF_INET, &a6->sin6_addr.s6_addr[12], buf, sizeof buf);
      else
        inet_ntop(AF_INET6, &a6->sin6_addr, buf, sizeof buf);
    }
  }
  p.address = buf[0] ? buf : "unknown";
  return p;
}

}  // namespace tseeder::daemon
