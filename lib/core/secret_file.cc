#include "core/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/secrets.h"

namespace tseeder {

namespace {
// Creates `path` with `content`, mode 0600, in a directory of mode 0700; false when it exists.
bool create_private_file(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(path).parent_path();
  if (!dir.empty() && !fs::exists(dir)) {
    fs::create_directories(dir);
    ::chmod(dir.c_str(), 0700);
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw Error(Errc::io, "cannot create secret " + path + ": " + std::strerror(errno));
  }
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) throw Error(Errc::io, "cannot write secret " + path + ": " + std::strerror(errno));
  return true;
}
}  // namespace

std::optional<std::string> read_secret_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw Error(Errc::io, "cannot read secret " + path + ": " + std::strerror(errno));
  }
  if (st.st_mode & 077)
    throw Error(Errc::config, "secret " + path + " is readable by other users", "chmod 600 " + path);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in.good() && !in.eof()) throw Error(Errc::io, "cannot read secret " + path);
  return ss.str();
}

void write_secret_file(const std::string& path, const std::string& content) {
  if (!create_private_file(path, content))
    throw Error(Errc::conflict, "secret " + path + " exists already", "remove it first if it is stale");
}

std::string load_or_create_secret(const std::string& path, std::size_t bytes) {
  const std::string fresh = random_token(bytes);
  if (create_private_file(path, fresh)) return fresh;
  std::string secret = read_secret_file(path).value_or("");
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.size() < 32) throw Error(Errc::config, "secret " + path + " is too short", "delete it to make a new one");
  return secret;
}

}  // namespace tseeder
