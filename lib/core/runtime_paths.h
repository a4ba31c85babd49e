// Where a running daemon can be found without being told: the link it keeps to its socket.
#pragma once
#include <string>

namespace tseeder {

// The path of the link a local tseederd keeps to its socket, so the CLI finds it from any
// directory: $XDG_RUNTIME_DIR/tseeder/tseederd.sock, or /run/tseeder/tseederd.sock for root
// without one. Empty when neither applies (another user without a runtime dir: a shared
// directory such as /tmp would let someone else's link catch the CLI's key).
std::string advertised_socket_path();

}  // namespace tseeder
