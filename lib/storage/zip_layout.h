// The bytes of a stored (uncompressed) zip archive around files whose sizes are known in
// advance, so an archive can be streamed with an exact Content-Length and no staging copy.
// CRCs are not known until a file has been read: each file's CRC travels in a data descriptor
// after its data, and in the central directory at the end. Zip64 records are used where a
// size or offset needs them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tseeder::storage {

struct ZipEntry {
  std::string name;  // UTF-8, '/'-separated, relative
  std::uint64_t size = 0;
  std::int64_t mtime_s = 0;
};

class ZipLayout {
 public:
  explicit ZipLayout(std::vector<ZipEntry> entries);

  std::size_t count() const { return entries_.size(); }
  const ZipEntry& entry(std::size_t i) const { return entries_[i]; }
  std::uint64_t total_size() const { return total_; }

  std::string local_header(std::size_t i) const;
  std::string data_descriptor(std::size_t i, std::uint32_t crc) const;
  // Central directory and end records; `crcs` has one CRC per entry.
  std::string trailer(const std::vector<std::uint32_t>& crcs) const;

 private:
  bool zip64(std::size_t i) const;
  std::vector<ZipEntry> entries_;
  std::vector<std::uint64_t> offsets_;  // of each local header
  std::uint64_t central_offset_ = 0;
  std::uint64_t central_size_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace tseeder::storage
