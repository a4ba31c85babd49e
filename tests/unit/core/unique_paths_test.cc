#include "core/unique_paths.h"

#include <gtest/gtest.h>

#include "core/path_safety.h"

namespace tseeder {
namespace {

using Names = std::vector<std::string>;

TEST(UniquePaths, NamesThatDoNotCollideAreJustSanitized) {
  const Names in{"a/b.txt", "a/c:d.txt", "..\\x", "e/./f"};
  const auto out = unique_relative_paths(in);
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) EXPECT_EQ(out[i], sanitize_relative_path(in[i])) << in[i];
}

TEST(UniquePaths, NamesThatSanitizeAlikeAreNumberedBeforeTheExtension) {
  EXPECT_EQ(unique_relative_paths({"t/a:b.txt", "t/a_b.txt", "t/a?b.txt", "t/x.", "t/x", "t/.x", "t/x.."}),
            (Names{"t/a_b.txt", "t/a_b (2).txt", "t/a_b (3).txt", "t/x", "t/x (2)", "t/x (3)", "t/x (4)"}));
}

TEST(UniquePaths, CaseDoesNotMakeANameUnique) {
  EXPECT_EQ(unique_relative_paths({"Case.txt", "case.txt", "CASE.TXT"}),
            (Names{"Case.txt", "case (2).txt", "CASE (3).TXT"}));
}

TEST(UniquePaths, InvalidUtf8AndDuplicatesGetNamesOfTheirOwn) {
  EXPECT_EQ(unique_relative_paths({"u\xff.bin", "u\xfe.bin", "u_.bin", "u_.bin"}),
            (Names{"u_.bin", "u_ (2).bin", "u_ (3).bin", "u_ (4).bin"}));
}

TEST(UniquePaths, AFileIsNeverNamedLikeADirectory) {
  // The file first: the directory moves; the directory first: the file does.
  EXPECT_EQ(unique_relative_paths({"t/d.", "t/d/in.txt", "t/d/more.txt", "t/d:/in.txt"}),
            (Names{"t/d", "t/d (2)/in.txt", "t/d (2)/more.txt", "t/d_/in.txt"}));
  EXPECT_EQ(unique_relative_paths({"t/d/in.txt", "t/d."}), (Names{"t/d/in.txt", "t/d (2)"}));
  // A numbered name that some file already has is numbered further.
  EXPECT_EQ(unique_relative_paths({"a (2).txt", "a.txt", "a:.txt", "a_.txt"}),
            (Names{"a (2).txt", "a.txt", "a_.txt", "a_ (2).txt"}));
  EXPECT_EQ(unique_relative_paths({"a.txt", "a.txt", "a (2).txt"}), (Names{"a.txt", "a (2).txt", "a (2) (2).txt"}));
}

TEST(UniquePaths, NumberedNamesStayWithin255Bytes) {
  const std::string long_name = std::string(300, 'x') + ".mkv";
  const auto out = unique_relative_paths({long_name, long_name + "?"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_LE(out[1].size(), 255u);
  EXPECT_NE(out[0], out[1]);
  // A long multi-byte stem is cut on a character boundary.
  std::string accents;
  for (int i = 0; i < 125; ++i) accents += "\xc3\xa9";  // 250 bytes: numbered, it must be cut
  const auto cut = unique_relative_paths({accents + ".txt", accents + ".txt"});
  EXPECT_LE(cut[1].size(), 255u);
  EXPECT_EQ(valid_utf8(cut[1]), cut[1]);
  EXPECT_TRUE(cut[1].ends_with(" (2).txt"));
}

TEST(UniquePaths, TheSameListAlwaysGivesTheSameNames) {
  const Names in{"x/a:b", "x/a_b", "x/A_B", "y."};
  EXPECT_EQ(unique_relative_paths(in), unique_relative_paths(in));
  // Names already unique and sanitized stay as they are (a list taken from another job).
  const auto once = unique_relative_paths(in);
  EXPECT_EQ(unique_relative_paths(once), once);
}

}  // namespace
}  // namespace tseeder
