#include "core/path_safety.h"

#include <gtest/gtest.h>

namespace tseeder {
namespace {

TEST(SanitizeFileName, KeepsOrdinaryNames) {
  EXPECT_EQ(sanitize_file_name("movie.mkv"), "movie.mkv");
  EXPECT_EQ(sanitize_file_name("Ünïcødé 名前.txt"), "Ünïcødé 名前.txt");
}

TEST(SanitizeFileName, RemovesSeparatorsDotsAndControls) {
  EXPECT_EQ(sanitize_file_name("../../etc/passwd"), "_.._etc_passwd");
  EXPECT_EQ(sanitize_file_name("/abs"), "_abs");
  EXPECT_EQ(sanitize_file_name("a\\b"), "a_b");
  EXPECT_EQ(sanitize_file_name("a\nb\x01"), "a_b_");
  EXPECT_EQ(sanitize_file_name(".hidden"), "hidden");
  EXPECT_EQ(sanitize_file_name(".."), "download");
  EXPECT_EQ(sanitize_file_name(""), "download");
  EXPECT_EQ(sanitize_file_name("   "), "download");
  EXPECT_EQ(sanitize_file_name("name. . "), "name");
}

TEST(SanitizeFileName, CutsLongNamesOnUtf8Boundary) {
  std::string s;
  for (int i = 0; i < 200; ++i) s += "é";  // 400 bytes
  auto out = sanitize_file_name(s);
  EXPECT_LE(out.size(), 255u);
  EXPECT_EQ(out.size() % 2, 0u);
}

TEST(SanitizeRelativePath, DropsClimbingParts) {
  EXPECT_EQ(sanitize_relative_path("a/b/c.txt"), "a/b/c.txt");
  EXPECT_EQ(sanitize_relative_path("../../x"), "x");
  EXPECT_EQ(sanitize_relative_path("/etc/passwd"), "etc/passwd");
  EXPECT_EQ(sanitize_relative_path("a\\..\\..\\b"), "a/b");
  EXPECT_EQ(sanitize_relative_path("./././"), "download");
}

TEST(JoinInside, RefusesEscapes) {
  EXPECT_TRUE(join_inside("/base", "a/b").has_value());
  EXPECT_EQ(join_inside("/base", "a/b")->string(), "/base/a/b");
  EXPECT_FALSE(join_inside("/base", "../x"));
  EXPECT_FALSE(join_inside("/base", "a/../../x"));
  EXPECT_FALSE(join_inside("/base", "/etc/passwd"));
  // A name that merely starts with dots is a name, not a way up.
  EXPECT_EQ(join_inside("/base", "....name/f")->string(), "/base/....name/f");
  EXPECT_EQ(join_inside("/base", "..x")->string(), "/base/..x");
  EXPECT_FALSE(join_inside("/base", ""));
  EXPECT_FALSE(join_inside("/base", "."));
  EXPECT_FALSE(join_inside("/base", std::string("a\0b", 3)));
}

TEST(PercentDecode, DecodesValidEscapesOnly) {
  EXPECT_EQ(percent_decode("a%20b"), "a b");
  EXPECT_EQ(percent_decode("%2e%2E%2f"), "../");
  EXPECT_EQ(percent_decode("bad%zz%"), "bad%zz%");
  EXPECT_EQ(percent_decode("%4"), "%4");
}

}  // namespace
}  // namespace tseeder

namespace tseeder {
namespace {

TEST(PathSafety, NamesBecomeValidUtf8) {
  EXPECT_EQ(valid_utf8("r\xE9p x.bin"), "r_p x.bin");  // Latin-1 é
  EXPECT_EQ(valid_utf8("r\xC3\xA9p"), "r\xC3\xA9p");
  EXPECT_EQ(valid_utf8("\xC0\xAF"), "__");            // overlong '/'
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "___");       // surrogate
  EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), "____");  // beyond U+10FFFF
  EXPECT_EQ(valid_utf8("ab\xE1\x88"), "ab__");        // cut short
  EXPECT_EQ(valid_utf8("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(sanitize_file_name("caf\xE9.txt"), "caf_.txt");
  EXPECT_EQ(sanitize_relative_path("d\xFF/f\xFE"), "d_/f_");
}

}  // namespace
}  // namespace tseeder
