#include "clamd_client.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tseeder::clamav {

namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string sys_error(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// Connects with send/receive timeouts; returns -1 with `why` set on failure.
int connect_clamd(const std::string& path, int timeout_s, std::string& why) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) {
    why = "clamd socket path is too long: " + path;
    return -1;
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    why = sys_error("socket");
    return -1;
  }
  timeval tv{timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    why = sys_error("clamd at " + path + " is not reachable");
    ::close(fd);
    return -1;
  }
  return fd;
}

// false when the peer went away (EPIPE/ECONNRESET) or another error; errno tells which.
bool send_all(int fd, const void* data, std::size_t len) {
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    ssize_t n = ::send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    len -= static_cast<std::size_t>(n);
  }
  return true;
}

// clamd's reply ends with NUL (z-commands) or when it closes the connection.
std::string read_reply(int fd, std::string& why) {
  std::string reply;
  char buf[1024];
  while (reply.size() < 8192) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      why = errno == EAGAIN || errno == EWOULDBLOCK ? "clamd did not answer in time" : sys_error("reading from clamd");
      break;
    }
    if (n == 0) break;
    reply.append(buf, static_cast<std::size_t>(n));
    if (reply.find('\0') != std::string::npos) break;
  }
  if (auto nul = reply.find('\0'); nul != std::string::npos) reply.resize(nul);
  return reply;
}

}  // namespace

bool clamd_ping(const std::string& socket_path, int timeout_s) {
  std::string why;
  Fd fd(connect_clamd(socket_path, timeout_s, why));
  if (fd.get() < 0) return false;
  if (!send_all(fd.get(), "zPING", 6)) return false;
  return read_reply(fd.get(), why) == "PONG";
}

Verdict clamd_instream(const std::string& socket_path, const std::string& file, int timeout_s) {
  Fd in(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return {TSEEDER_SCAN_ERROR, sys_error("cannot open the file to scan")};
  std::string why;
  Fd fd(connect_clamd(socket_path, timeout_s, why));
  if (fd.get() < 0) return {TSEEDER_SCAN_ERROR, why};
  if (!send_all(fd.get(), "zINSTREAM", 10)) return {TSEEDER_SCAN_ERROR, sys_error("sending to clamd")};

  // Chunks are <4-byte big-endian length><bytes>; a zero length ends the stream.
  static constexpr std::size_t kChunk = 64 * 1024;
  std::string frame(4 + kChunk, '\0');
  bool peer_closed = false;
  for (;;) {
    ssize_t n = ::read(in.get(), frame.data() + 4, kChunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return {TSEEDER_SCAN_ERROR, sys_error("reading the file to scan")};
    }
    const auto len = static_cast<std::uint32_t>(n);
    frame[0] = static_cast<char>(len >> 24);
    frame[1] = static_cast<char>(len >> 16);
    frame[2] = static_cast<char>(len >> 8);
    frame[3] = static_cast<char>(len);
    if (!send_all(fd.get(), frame.data(), 4 + len)) {
      // clamd stops reading when the stream passes StreamMaxLength; its reason is waiting.
      if (errno != EPIPE && errno != ECONNRESET) return {TSEEDER_SCAN_ERROR, sys_error("sending to clamd")};
      peer_closed = true;
      break;
    }
    if (n == 0) break;
  }
  std::string reply = read_reply(fd.get(), why);
  if (reply.empty()) {
    if (peer_closed)
      return {TSEEDER_SCAN_ERROR, "clamd closed the connection while receiving the file (StreamMaxLength?)"};
    return {TSEEDER_SCAN_ERROR, why.empty() ? "clamd closed the connection without a verdict" : why};
  }
  if (reply.rfind("stream: ", 0) == 0) reply = reply.substr(8);
  return parse_result_text(reply);
}

}  // namespace tseeder::clamav
