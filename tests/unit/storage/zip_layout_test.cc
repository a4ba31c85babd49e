#include "storage/zip_layout.h"

#include <gtest/gtest.h>

namespace tseeder::storage {
namespace {

// The pieces the stream sends add up to the Content-Length announced before the first byte.
std::uint64_t streamed_size(const ZipLayout& z) {
  std::uint64_t n = 0;
  std::vector<std::uint32_t> crcs;
  for (std::size_t i = 0; i < z.count(); ++i) {
    n += z.local_header(i).size() + z.entry(i).size + z.data_descriptor(i, 0).size();
    crcs.push_back(0);
  }
  return n + z.trailer(crcs).size();
}

std::uint32_t at32(const std::string& s, std::size_t i) {
  return static_cast<unsigned char>(s[i]) | static_cast<unsigned char>(s[i + 1]) << 8 |
         static_cast<unsigned char>(s[i + 2]) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + 3])) << 24;
}

TEST(ZipLayout, SmallArchivesUseClassicRecords) {
  ZipLayout z({{"a.txt", 5, 1700000000}, {"dir/é.bin", 0, 1700000000}});
  EXPECT_EQ(streamed_size(z), z.total_size());
  EXPECT_EQ(z.local_header(0).size(), 30u + 5u);
  EXPECT_EQ(z.data_descriptor(0, 0x12345678).size(), 16u);
  auto t = z.trailer({1, 2});
  EXPECT_EQ(at32(t, t.size() - 22), 0x06054b50u);  // end of central directory, no zip64 records
  EXPECT_EQ(t.find("\x50\x4b\x06\x06"), std::string::npos);
}

TEST(ZipLayout, LargeFilesAndOffsetsSwitchToZip64) {
  const std::uint64_t five_gib = 5ULL << 30;
  ZipLayout z({{"big.bin", five_gib, 1700000000}, {"after.bin", 10, 1700000000}});
  EXPECT_EQ(streamed_size(z), z.total_size());
  EXPECT_GT(z.total_size(), five_gib);
  EXPECT_EQ(z.data_descriptor(0, 0).size(), 24u);  // 8-byte sizes
  EXPECT_EQ(z.data_descriptor(1, 0).size(), 24u);  // its offset is past 4 GiB
  EXPECT_EQ(at32(z.local_header(0), 18), 0xFFFFFFFFu);
  auto t = z.trailer({0, 0});
  EXPECT_NE(t.find("\x50\x4b\x06\x06"), std::string::npos);  // zip64 end of central directory
  EXPECT_NE(t.find("\x50\x4b\x06\x07"), std::string::npos);  // and its locator
}

}  // namespace
}  // namespace tseeder::storage
