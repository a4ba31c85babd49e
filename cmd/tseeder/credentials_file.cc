#include "credentials_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/error.h"
#include "core/json_util.h"

namespace tseeder::cli {

namespace fs = std::filesystem;

std::string credentials_path() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/tseeder/credentials.json";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.config/tseeder/credentials.json";
}

std::optional<SavedLogin> load_login() {
  std::ifstream in(credentials_path());
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = Json::parse(ss.str(), nullptr, false);
  if (!j.is_object() || !j.contains("apiKey") || !j["apiKey"].is_string()) return std::nullopt;
  return SavedLogin{j.value("url", ""), j["apiKey"].get<std::string>(), j.value("keyId", "")};
}

void save_login(const SavedLogin& login) {
  const std::string path = credentials_path();
  const fs::path dir = fs::path(path).parent_path();
  fs::create_directories(dir);
  ::chmod(dir.c_str(), 0700);
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(Errc::io, "cannot write " + tmp, "check the permissions of " + dir.string());
  const std::string text = Json{{"url", login.url}, {"apiKey", login.api_key}, {"keyId", login.key_id}}.dump(2) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fchmod(fd, 0600) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw Error(Errc::io, "cannot write " + path);
  }
}

bool forget_login() {
  return ::unlink(credentials_path().c_str()) == 0;
}

std::string read_password(const std::string& prompt) {
  std::string pw;
  if (!::isatty(STDIN_FILENO)) {
    std::getline(std::cin, pw);
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    return pw;
  }
  std::cerr << prompt << std::flush;
  termios old{};
  ::tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::getline(std::cin, pw);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << "\n";
  return pw;
}

}  // namespace tseeder::cli
