#include "core/index_list.h"

#include <gtest/gtest.h>

namespace tseeder {
namespace {

std::optional<std::vector<std::uint32_t>> parse(const std::string& text, std::string* why_out = nullptr) {
  std::string why;
  auto r = parse_index_list(text, 1000, 50, why);
  if (why_out) *why_out = why;
  return r;
}

TEST(IndexList, SinglesAndRangesComeOutSorted) {
  EXPECT_EQ(*parse("0"), (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(*parse("9,0,3-5"), (std::vector<std::uint32_t>{0, 3, 4, 5, 9}));
  EXPECT_EQ(*parse("7-7"), (std::vector<std::uint32_t>{7}));
}

TEST(IndexList, RefusesWhatIsNotAList) {
  for (const char* bad : {"", ",", "1,", ",1", "a", "1-", "-1", "5-3", "1--2", "1 ,2", "1001", "0x1", "1.5"}) {
    std::string why;
    EXPECT_FALSE(parse(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(IndexList, RefusesDuplicatesAndTooMany) {
  std::string why;
  EXPECT_FALSE(parse("1,0-3", &why));
  EXPECT_NE(why.find("file 1 is listed twice"), std::string::npos) << why;
  EXPECT_FALSE(parse("0-999", &why));
  EXPECT_NE(why.find("more than 50"), std::string::npos) << why;
}

}  // namespace
}  // namespace tseeder
