#include "private_files.h"

#include <sys/stat.h>

#include <cstdio>

namespace tseeder::daemon {

namespace {

std::string octal(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

// Takes away from `path` every permission bit `allowed` does not keep; notes what it changed.
void restrict_to(const std::string& path, mode_t allowed, std::vector<std::string>& changed) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return;
  const mode_t now = st.st_mode & 07777;
  const mode_t want = now & allowed;
  if (want == now || ::chmod(path.c_str(), want) != 0) return;
  changed.push_back(path + " (" + octal(now) + " → " + octal(want) + ")");
}

}  // namespace

void private_umask() {
  ::umask(077);
}

std::vector<std::string> tighten_modes(const config::Config& cfg) {
  std::vector<std::string> changed;
  const std::string& d = cfg.data_dir;
  restrict_to(d, 0710, changed);
  for (const char* f : {"/tseeder.db", "/tseeder.db-wal", "/tseeder.db-shm"}) restrict_to(d + f, 0600, changed);
  for (const char* dir : {"/secrets", "/downloads", "/torrents"}) restrict_to(d + dir, 0700, changed);
  restrict_to(cfg.storage_path(), 0700, changed);
  return changed;
}

}  // namespace tseeder::daemon
