#include "data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.h"

namespace tseeder::daemon {

namespace {
std::string pid_in(int fd) {
  char buf[32] = "";
  const auto n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string pid(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}
}  // namespace

DataDirLock::DataDirLock(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  const std::string path = data_dir + "/tseederd.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw Error(Errc::io, "cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string holder = pid_in(fd_);
    ::close(fd_);
    if (err != EWOULDBLOCK) throw Error(Errc::io, "cannot lock " + path + ": " + std::strerror(err));
    throw Error(Errc::conflict, "data dir " + data_dir + " is in use by tseederd pid " + holder,
                "stop that daemon first, or give this one another --data-dir");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int err = errno;
    ::close(fd_);
    throw Error(Errc::io, "cannot write " + path + ": " + std::strerror(err));
  }
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // the file stays: unlinking it could race a daemon starting now
}

}  // namespace tseeder::daemon
