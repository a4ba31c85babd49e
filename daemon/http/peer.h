// Who is on the other end of a connection: the client address for TCP, the process's user
// for the Unix socket (SO_PEERCRED).
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>

namespace tseeder::daemon {

struct Peer {
  std::string address;       // "127.0.0.1", "::1", or "unix:UID"
  std::optional<uid_t> uid;  // Unix socket peers only
};

Peer identify_peer(int fd, bool via_unix);

}  // namespace tseeder::daemon
