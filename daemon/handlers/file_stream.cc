#include "handlers/file_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace tseeder::daemon {

namespace {
constexpr std::uint64_t kChunk = 256 * 1024;
}

FileStream::FileStream(const std::string& path, std::uint64_t offset, std::uint64_t length)
    : offset_(offset), remaining_(length) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(Errc::io, "cannot open stored file: " + std::string(std::strerror(errno)));
}

FileStream::~FileStream() {
  if (fd_ >= 0) ::close(fd_);
}

void FileStream::pull(PullFn done) {
  if (remaining_ == 0) return done(std::nullopt);
  std::string buf(remaining_ < kChunk ? remaining_ : kChunk, '\0');
  ssize_t n = ::pread(fd_, buf.data(), buf.size(), static_cast<off_t>(offset_));
  // A file shrunk under us cannot honour the Content-Length already sent: end the connection.
  if (n <= 0) {
    remaining_ = 0;
    return done(std::nullopt);
  }
  buf.resize(static_cast<std::size_t>(n));
  offset_ += static_cast<std::uint64_t>(n);
  remaining_ -= static_cast<std::uint64_t>(n);
  done(std::move(buf));
}

}  // namespace tseeder::daemon
