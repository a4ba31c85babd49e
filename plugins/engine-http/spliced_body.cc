#include "spliced_body.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tseeder::engine_http {
namespace {

// A pump's worth at full speed; where the system allows less, a pipe's default 64 KiB still works.
constexpr int kPipeBytes = 1 << 20;
constexpr std::size_t kCopyBytes = 512 * 1024;

std::string write_failure(int err) {
  return std::string("cannot write partial file: ") + std::strerror(err);
}

}  // namespace

bool write_at(int fd, const char* data, std::size_t n, std::uint64_t offset, std::string& error) {
  for (std::size_t done = 0; done < n;) {
    const ssize_t w = ::pwrite(fd, data + done, n - done, static_cast<off_t>(offset + done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      error = write_failure(w < 0 ? errno : ENOSPC);
      return false;
    }
    done += static_cast<std::size_t>(w);
  }
  return true;
}

std::unique_ptr<SplicedBody> SplicedBody::take(int socket) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return nullptr;
  const int own = ::fcntl(socket, F_DUPFD_CLOEXEC, 0);
  if (own < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return nullptr;
  }
  // Both descriptors share one open socket: it stays non-blocking, as curl made it.
  ::fcntl(own, F_SETFL, ::fcntl(own, F_GETFL) | O_NONBLOCK);
  ::fcntl(p[1], F_SETPIPE_SZ, kPipeBytes);  // best effort: a smaller pipe moves less per call
  return std::unique_ptr<SplicedBody>(new SplicedBody(own, p[0], p[1]));
}

SplicedBody::SplicedBody(int socket, int pipe_read, int pipe_write)
    : socket_(socket), pipe_read_(pipe_read), pipe_write_(pipe_write) {}

SplicedBody::~SplicedBody() {
  ::close(socket_);
  ::close(pipe_read_);
  ::close(pipe_write_);
}

SplicedBody::Step SplicedBody::pump(int fd, std::uint64_t offset, std::size_t max) {
  const bool through_pipe = !copying_;
  ssize_t n = 0;
  do {
    n = through_pipe ? ::splice(socket_, nullptr, pipe_write_, nullptr, max, SPLICE_F_MOVE | SPLICE_F_NONBLOCK)
                     : ::recv(socket_, buffer_.data(), std::min(max, buffer_.size()), 0);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return {Step::closed, 0, {}};
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {Step::wait, 0, {}};
    return {Step::receive_failed, 0, std::string("receiving failed: ") + std::strerror(errno)};
  }
  const auto got = static_cast<std::size_t>(n);
  std::string error;
  const bool written =
      through_pipe ? drain_pipe(fd, offset, got, error) : write_at(fd, buffer_.data(), got, offset, error);
  if (!written) return {Step::write_failed, 0, error};
  return {Step::moved, got, {}};
}

// Everything the last splice put in the pipe goes to the file before the next one.
bool SplicedBody::drain_pipe(int fd, std::uint64_t offset, std::size_t n, std::string& error) {
  auto at = static_cast<loff_t>(offset);
  while (n > 0) {
    if (!copying_) {
      const ssize_t w = ::splice(pipe_read_, nullptr, fd, &at, n, SPLICE_F_MOVE);
      if (w > 0) {
        n -= static_cast<std::size_t>(w);
        continue;
      }
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && errno == EINVAL) {  // this file system takes no spliced writes
        copying_ = true;
        buffer_.resize(kCopyBytes);
        continue;
      }
      error = write_failure(w < 0 ? errno : ENOSPC);
      return false;
    }
    const ssize_t r = ::read(pipe_read_, buffer_.data(), std::min(n, buffer_.size()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      error = write_failure(r < 0 ? errno : EIO);
      return false;
    }
    if (!write_at(fd, buffer_.data(), static_cast<std::size_t>(r), static_cast<std::uint64_t>(at), error)) return false;
    at += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

}  // namespace tseeder::engine_http
