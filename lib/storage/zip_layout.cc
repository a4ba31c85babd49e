#include "storage/zip_layout.h"

#include <ctime>

namespace tseeder::storage {

namespace {

constexpr std::uint32_t kMax32 = 0xFFFFFFFF;
constexpr std::uint16_t kFlags = 0x0008 | 0x0800;  // sizes and CRC follow the data; UTF-8 names

void put16(std::string& s, std::uint16_t v) {
  s.push_back(static_cast<char>(v & 0xFF));
  s.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, static_cast<std::uint16_t>(v & 0xFFFF));
  put16(s, static_cast<std::uint16_t>(v >> 16));
}
void put64(std::string& s, std::uint64_t v) {
  put32(s, static_cast<std::uint32_t>(v & kMax32));
  put32(s, static_cast<std::uint32_t>(v >> 32));
}

// MS-DOS time and date fields (local time as zip tools expect; 1980 at the earliest).
std::pair<std::uint16_t, std::uint16_t> dos_time(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  if (tm.tm_year < 80) return {0, static_cast<std::uint16_t>((0 << 9) | (1 << 5) | 1)};
  auto time = static_cast<std::uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  auto date = static_cast<std::uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  return {time, date};
}

constexpr std::uint64_t kLocalFixed = 30;
constexpr std::uint64_t kCentralFixed = 46;
constexpr std::uint64_t kZip64LocalExtra = 20;    // id, size, two 8-byte sizes
constexpr std::uint64_t kZip64CentralExtra = 28;  // id, size, two sizes and the offset

}  // namespace

ZipLayout::ZipLayout(std::vector<ZipEntry> entries) : entries_(std::move(entries)) {
  std::uint64_t at = 0;
  offsets_.reserve(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    offsets_.push_back(at);
    const bool z = entries_[i].size >= kMax32 || at >= kMax32;
    at += kLocalFixed + entries_[i].name.size() + (z ? kZip64LocalExtra : 0);
    at += entries_[i].size;
    at += z ? 24 : 16;  // data descriptor
  }
  central_offset_ = at;
  for (std::size_t i = 0; i < entries_.size(); ++i)
    central_size_ += kCentralFixed + entries_[i].name.size() + (zip64(i) ? kZip64CentralExtra : 0);
  total_ = central_offset_ + central_size_;
  const bool z64_end = entries_.size() >= 0xFFFF || central_offset_ >= kMax32 || central_size_ >= kMax32 || [&] {
    for (std::size_t i = 0; i < entries_.size(); ++i)
      if (zip64(i)) return true;
    return false;
  }();
  total_ += (z64_end ? 56 + 20 : 0) + 22;
}

bool ZipLayout::zip64(std::size_t i) const {
  return entries_[i].size >= kMax32 || offsets_[i] >= kMax32;
}

std::string ZipLayout::local_header(std::size_t i) const {
  const auto& e = entries_[i];
  const bool z = zip64(i);
  auto [t, d] = dos_time(e.mtime_s);
  std::string s;
  put32(s, 0x04034b50);
  put16(s, z ? 45 : 20);
  put16(s, kFlags);
  put16(s, 0);  // stored
  put16(s, t);
  put16(s, d);
  put32(s, 0);  // CRC: in the data descriptor
  put32(s, z ? kMax32 : 0);
  put32(s, z ? kMax32 : 0);
  put16(s, static_cast<std::uint16_t>(e.name.size()));
  put16(s, static_cast<std::uint16_t>(z ? kZip64LocalExtra : 0));
  s += e.name;
  if (z) {
    put16(s, 0x0001);
    put16(s, 16);
    put64(s, 0);
    put64(s, 0);
  }
  return s;
}

std::string ZipLayout::data_descriptor(std::size_t i, std::uint32_t crc) const {
  std::string s;
  put32(s, 0x08074b50);
  put32(s, crc);
  if (zip64(i)) {
    put64(s, entries_[i].size);
    put64(s, entries_[i].size);
  } else {
    put32(s, static_cast<std::uint32_t>(entries_[i].size));
    put32(s, static_cast<std::uint32_t>(entries_[i].size));
  }
  return s;
}

std::string ZipLayout::trailer(const std::vector<std::uint32_t>& crcs) const {
  std::string s;
  bool any64 = false;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const auto& e = entries_[i];
    const bool z = zip64(i);
    any64 = any64 || z;
    auto [t, d] = dos_time(e.mtime_s);
    put32(s, 0x02014b50);
    put16(s, (3 << 8) | 45);  // made on Unix, spec 4.5
    put16(s, z ? 45 : 20);
    put16(s, kFlags);
    put16(s, 0);
    put16(s, t);
    put16(s, d);
    put32(s, crcs[i]);
    put32(s, z ? kMax32 : static_cast<std::uint32_t>(e.size));
    put32(s, z ? kMax32 : static_cast<std::uint32_t>(e.size));
    put16(s, static_cast<std::uint16_t>(e.name.size()));
    put16(s, static_cast<std::uint16_t>(z ? kZip64CentralExtra : 0));
    put16(s, 0);               // comment
    put16(s, 0);               // disk
    put16(s, 0);               // internal attributes
    put32(s, 0100644u << 16);  // regular file, rw-r--r--
    put32(s, z ? kMax32 : static_cast<std::uint32_t>(offsets_[i]));
    s += e.name;
    if (z) {
      put16(s, 0x0001);
      put16(s, 24);
      put64(s, e.size);
      put64(s, e.size);
      put64(s, offsets_[i]);
    }
  }
  const std::uint64_t n = entries_.size();
  const bool z64_end = any64 || n >= 0xFFFF || central_offset_ >= kMax32 || central_size_ >= kMax32;
  if (z64_end) {
    const std::uint64_t z64_at = central_offset_ + central_size_;
    put32(s, 0x06064b50);
    put64(s, 44);
    put16(s, (3 << 8) | 45);
    put16(s, 45);
    put32(s, 0);
    put32(s, 0);
    put64(s, n);
    put64(s, n);
    put64(s, central_size_);
    put64(s, central_offset_);
    put32(s, 0x07064b50);
    put32(s, 0);
    put64(s, z64_at);
    put32(s, 1);
  }
  put32(s, 0x06054b50);
  put16(s, 0);
  put16(s, 0);
  put16(s, static_cast<std::uint16_t>(z64_end && n >= 0xFFFF ? 0xFFFF : n));
  put16(s, static_cast<std::uint16_t>(z64_end && n >= 0xFFFF ? 0xFFFF : n));
  put32(s, central_size_ >= kMax32 ? kMax32 : static_cast<std::uint32_t>(central_size_));
  put32(s, central_offset_ >= kMax32 ? kMax32 : static_cast<std::uint32_t>(central_offset_));
  put16(s, 0);
  return s;
}

}  // namespace tseeder::storage
