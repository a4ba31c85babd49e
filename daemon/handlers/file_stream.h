// Streams a byte range of a local file in chunks.
#pragma once
#include <cstdint>
#include <string>

#include "http/request.h"

namespace tseeder::daemon {

class FileStream final : public BodyStream {
 public:
  // Throws Error(Errc::io) when the file cannot be opened.
  FileStream(const std::string& path, std::uint64_t offset, std::uint64_t length);
  ~FileStream() override;
  void pull(PullFn done) override;
  void cancel() override {}

 private:
  int fd_ = -1;
  std::uint64_t offset_;
  std::uint64_t remaining_;
};

}  // namespace tseeder::daemon
