#include "partial_state.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace tseeder::engine_http {
namespace {

std::string temp_path() {
  return (std::filesystem::temp_directory_path() / ("partial-state-" + std::to_string(::getpid()))).string();
}

TEST(PartialState, RoundTripsRanges) {
  const auto path = temp_path();
  PartialState s{"\"etag=\"", "file.iso", 300, "sha256:ab", {{0, 100, 100}, {100, 200, 7}, {200, 300, 0}}};
  write_partial_state(path, s, true);
  auto back = read_partial_state(path);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->validator, s.validator);
  EXPECT_EQ(back->name, "file.iso");
  EXPECT_EQ(back->total, 300u);
  EXPECT_EQ(back->digest, "sha256:ab");
  ASSERT_EQ(back->segments.size(), 3u);
  EXPECT_TRUE(back->segments[0].complete());
  EXPECT_EQ(back->segments[1].next(), 107u);
  std::remove(path.c_str());
}

TEST(PartialState, ReadsTheOlderFormAndRefusesNonsense) {
  const auto path = temp_path();
  std::ofstream(path) << "\"v\"\nname.bin\n42\n";
  auto old = read_partial_state(path);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->name, "name.bin");
  EXPECT_EQ(old->total, 42u);
  EXPECT_TRUE(old->segments.empty());
  for (const char* bad : {"tseeder-partial 2\nname=x\ntotal=10\nsegment=0 20 0\n",  // past the end
                          "tseeder-partial 2\nname=x\ntotal=10\nsegment=5 4 0\n",   // backwards
                          "tseeder-partial 2\nname=x\ntotal=10\nsegment=0 5 6\n",   // more done than asked
                          "tseeder-partial 2\nname=x\ntotal=10\nsegment=0 5\n", "tseeder-partial 2\ntotal=10\n",
                          "tseeder-partial 2\nname=x\ngarbage\n"}) {
    std::ofstream(path, std::ios::trunc) << bad;
    EXPECT_FALSE(read_partial_state(path)) << bad;
  }
  std::remove(path.c_str());
  EXPECT_FALSE(read_partial_state(path));
}

TEST(PlanSegments, EqualRangesNoneTooSmall) {
  auto four = plan_segments(1000, 4, 100);
  ASSERT_EQ(four.size(), 4u);
  EXPECT_EQ(four[0].start, 0u);
  EXPECT_EQ(four[1].start, 250u);
  EXPECT_EQ(four[3].end, 1000u);
  for (std::size_t i = 1; i < four.size(); ++i) EXPECT_EQ(four[i].start, four[i - 1].end);
  EXPECT_EQ(plan_segments(250, 4, 100).size(), 2u);
  EXPECT_EQ(plan_segments(50, 4, 100).size(), 1u);
  EXPECT_EQ(plan_segments(1001, 3, 1).back().end, 1001u);
  EXPECT_EQ(plan_segments(1000, 0, 1).size(), 1u);
}

}  // namespace
}  // namespace tseeder::engine_http
