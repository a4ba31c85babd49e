#include "core/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/secrets.h"
#include "core/error.h"

namespace tseeder {

std::string load_or_create_secret(const std::string& path, std::size_t bytes) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(path).parent_path();
  if (!dir.empty() && !fs::exists(dir)) {
    fs::create_directories(dir);
    ::chmod(dir.c_str(), 0700);
  }
  const std::string fresh = auth::random_token(bytes);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    bool ok = ::write(fd, fresh.data(), fresh.size()) == static_cast<ssize_t>(fresh.size());
    ok = ::fsync(fd) == 0 && ok;
    ok = ::close(fd) == 0 && ok;
    if (!ok) throw Error(Errc::io, "cannot write secret " + path + ": " + std::strerror(errno));
    return fresh;
  }
  if (errno != EEXIST) throw Error(Errc::io, "cannot create secret " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw Error(Errc::io, "cannot read secret " + path);
  if (st.st_mode & 077)
    throw Error(Errc::config, "secret " + path + " is readable by other users", "chmod 600 " + path);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string secret = ss.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.size() < 32) throw Error(Errc::config, "secret " + path + " is too short", "delete it to make a new one");
  return secret;
}

}  // namespace tseeder
