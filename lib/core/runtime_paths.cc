#include "core/runtime_paths.h"

#include <unistd.h>

#include <cstdlib>

namespace tseeder {

std::string advertised_socket_path() {
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && runtime[0] == '/')
    return std::string(runtime) + "/tseeder/tseederd.sock";
  if (::geteuid() == 0) return "/run/tseeder/tseederd.sock";
  return {};
}

}  // namespace tseeder
