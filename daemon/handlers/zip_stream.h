// Streams a job's stored files as one zip archive (stored, not compressed), reading each file
// once: no staging copy, memory bounded by one chunk.
#pragma once
#include <string>
#include <vector>

#include "http/request.h"
#include "storage/zip_layout.h"

namespace tseeder::daemon {

class ZipStream final : public BodyStream {
 public:
  // `paths[i]` holds the bytes of `layout.entry(i)`.
  ZipStream(storage::ZipLayout layout, std::vector<std::string> paths);
  ~ZipStream() override;
  void pull(PullFn done) override;
  void cancel() override {}

 private:
  enum class Phase { header, data, descriptor, trailer, done };
  void close_file();
  storage::ZipLayout layout_;
  std::vector<std::string> paths_;
  std::vector<std::uint32_t> crcs_;
  std::size_t index_ = 0;
  Phase phase_ = Phase::header;
  int fd_ = -1;
  std::uint64_t done_in_file_ = 0;
  unsigned long crc_ = 0;
};

}  // namespace tseeder::daemon
