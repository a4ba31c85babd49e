#include "handlers/zip_stream.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

namespace tseeder::daemon {

namespace {
constexpr std::uint64_t kChunk = 256 * 1024;
}

ZipStream::ZipStream(storage::ZipLayout layout, std::vector<std::string> paths)
    : layout_(std::move(layout)), paths_(std::move(paths)) {
  if (layout_.count() == 0) phase_ = Phase::trailer;
}

ZipStream::~ZipStream() {
  close_file();
}

void ZipStream::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void ZipStream::pull(PullFn done) {
  switch (phase_) {
    case Phase::header: {
      fd_ = ::open(paths_[index_].c_str(), O_RDONLY | O_CLOEXEC);
      // A stored file gone missing cannot honour the Content-Length already sent: end here.
      if (fd_ < 0) {
        phase_ = Phase::done;
        return done(std::nullopt);
      }
      crc_ = crc32(0L, Z_NULL, 0);
      done_in_file_ = 0;
      phase_ = layout_.entry(index_).size > 0 ? Phase::data : Phase::descriptor;
      return done(layout_.local_header(index_));
    }
    case Phase::data: {
      const std::uint64_t left = layout_.entry(index_).size - done_in_file_;
      std::string buf(left < kChunk ? left : kChunk, '\0');
      ssize_t n = ::pread(fd_, buf.data(), buf.size(), static_cast<off_t>(done_in_file_));
      if (n <= 0) {  // shrunk under us
        phase_ = Phase::done;
        return done(std::nullopt);
      }
      buf.resize(static_cast<std::size_t>(n));
      crc_ = crc32(crc_, reinterpret_cast<const Bytef*>(buf.data()), static_cast<uInt>(buf.size()));
      done_in_file_ += static_cast<std::uint64_t>(n);
      if (done_in_file_ == layout_.entry(index_).size) phase_ = Phase::descriptor;
      return done(std::move(buf));
    }
    case Phase::descriptor: {
      close_file();
      crcs_.push_back(static_cast<std::uint32_t>(crc_));
      std::string d = layout_.data_descriptor(index_, static_cast<std::uint32_t>(crc_));
      phase_ = ++index_ < layout_.count() ? Phase::header : Phase::trailer;
      return done(std::move(d));
    }
    case Phase::trailer:
      phase_ = Phase::done;
      return done(layout_.trailer(crcs_));
    case Phase::done:
      return done(std::nullopt);
  }
}

}  // namespace tseeder::daemon
