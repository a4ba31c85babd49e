#include "http/byte_range.h"

#include <gtest/gtest.h>

namespace tseeder::daemon {
namespace {

TEST(ByteRange, Forms) {
  ByteRange r;
  EXPECT_EQ(parse_range("bytes=0-9", 100, r), RangeResult::partial);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 9u);
  EXPECT_EQ(parse_range("bytes=90-", 100, r), RangeResult::partial);
  EXPECT_EQ(r.length(), 10u);
  EXPECT_EQ(parse_range("bytes=-5", 100, r), RangeResult::partial);
  EXPECT_EQ(r.first, 95u);
  EXPECT_EQ(parse_range("bytes=-500", 100, r), RangeResult::partial);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(parse_range("bytes=50-5000", 100, r), RangeResult::partial);
  EXPECT_EQ(r.last, 99u);
}

TEST(ByteRange, IgnoredOrUnsatisfiable) {
  ByteRange r;
  EXPECT_EQ(parse_range("", 100, r), RangeResult::whole);
  EXPECT_EQ(parse_range("items=0-1", 100, r), RangeResult::whole);
  EXPECT_EQ(parse_range("bytes=0-1,5-6", 100, r), RangeResult::whole);
  EXPECT_EQ(parse_range("bytes=9-1", 100, r), RangeResult::whole);
  EXPECT_EQ(parse_range("bytes=a-b", 100, r), RangeResult::whole);
  EXPECT_EQ(parse_range("bytes=100-", 100, r), RangeResult::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 100, r), RangeResult::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0, r), RangeResult::unsatisfiable);
}

}  // namespace
}  // namespace tseeder::daemon
