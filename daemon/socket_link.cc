#include "socket_link.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "core/runtime_paths.h"
#include "logging.h"

namespace tseeder::daemon {

namespace fs = std::filesystem;

namespace {

// Whether a daemon answers on `path` (following a link): a connect is enough.
bool answers(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return false;
  addr.sun_family = AF_UNIX;
  path.copy(addr.sun_path, path.size());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

SocketLink::SocketLink(const std::string& socket) {
  const std::string link = advertised_socket_path();
  if (link.empty()) return;
  std::error_code ec;
  const std::string target = fs::absolute(socket, ec).lexically_normal().string();
  if (ec || target == link) return;
  const fs::path dir = fs::path(link).parent_path();
  fs::create_directories(dir, ec);
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec, ec);
  const auto status = fs::symlink_status(link, ec);
  if (fs::exists(status)) {
    if (!fs::is_symlink(status)) return;  // not ours to replace
    if (fs::read_symlink(link, ec) != target && answers(link)) {
      log(Level::info, "daemon", "another tseederd is reached through the default socket; this one is not",
          {{"link", link}, {"socket", target}});
      return;
    }
  }
  // A new link beside it renamed over the old one: the CLI never sees a missing link.
  const std::string tmp = link + "." + std::to_string(::getpid());
  fs::remove(tmp, ec);
  fs::create_symlink(target, tmp, ec);
  if (!ec) fs::rename(tmp, link, ec);
  if (ec) {
    fs::remove(tmp, ec);
    log(Level::warn, "daemon", "cannot link the default socket to this daemon: the CLI needs --socket elsewhere",
        {{"link", link}, {"error", ec.message()}});
    return;
  }
  link_ = link;
  target_ = target;
}

SocketLink::~SocketLink() {
  if (link_.empty()) return;
  std::error_code ec;
  if (fs::read_symlink(link_, ec) == target_) fs::remove(link_, ec);
}

}  // namespace tseeder::daemon
