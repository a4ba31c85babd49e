#include "core/units.h"

#include <gtest/gtest.h>

namespace tseeder {
namespace {

TEST(Units, ParsesByteSizesAndRates) {
  EXPECT_EQ(parse_byte_size("0"), 0u);
  EXPECT_EQ(parse_byte_size("512"), 512u);
  EXPECT_EQ(parse_byte_size("500k"), 500u * 1024);
  EXPECT_EQ(parse_byte_size("2M"), 2u * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("2MiB"), 2u * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("1.5G"), 1536ull * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("10MiB/s"), 10u * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("3B"), 3u);
}

TEST(Units, RefusesMalformedSizes) {
  for (const char* bad : {"", "M", "-1", "1.", "2X", "2MiBs", "1e3", "99999999999999999999", "9000T"})
    EXPECT_FALSE(parse_byte_size(bad)) << bad;
}

TEST(Units, UnitsMeanWhatTheySay) {
  EXPECT_EQ(parse_byte_size("5GB"), 5'000'000'000u);
  EXPECT_EQ(parse_byte_size("500MB"), 500'000'000u);
  EXPECT_EQ(parse_byte_size("1MB/s"), 1'000'000u);
  EXPECT_EQ(parse_byte_size("1MiB/s"), 1'048'576u);
  EXPECT_EQ(parse_byte_size("5TB"), 5'000'000'000'000u);
  EXPECT_EQ(parse_byte_size("1GiB"), 1024u * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("1.5kB"), 1500u);
  EXPECT_FALSE(parse_byte_size("10000TB"));
}

TEST(Units, FormatsForPeople) {
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_rate(0), "0 B/s");
  EXPECT_EQ(format_duration(-1), "-");
}

}  // namespace
}  // namespace tseeder
