#include "sidecar.h"

#include <gtest/gtest.h>

namespace tseeder::engine_http {
namespace {

const std::string kHex = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
const std::string kOther = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(Sidecar, Url) {
  EXPECT_EQ(sidecar_url("http://h/d/f.iso"), "http://h/d/f.iso.sha256");
  EXPECT_EQ(sidecar_url("http://h/d/f.iso?sig=1"), "http://h/d/f.iso.sha256?sig=1");
  EXPECT_EQ(sidecar_url("http://h/d/"), "");
  EXPECT_EQ(sidecar_url("http://h"), "");
}

TEST(Sidecar, Forms) {
  const std::vector<std::string> names{"f.iso"};
  EXPECT_EQ(parse_sidecar(kHex + "  f.iso\n", names), "sha256:" + kHex);
  EXPECT_EQ(parse_sidecar(kHex + " *f.iso\r\n", names), "sha256:" + kHex);
  EXPECT_EQ(parse_sidecar(kHex + "\n", names), "sha256:" + kHex);
  EXPECT_EQ(parse_sidecar("SHA256 (f.iso) = " + kHex + "\n", names), "sha256:" + kHex);
  // Upper-case hex is read as the same digest.
  std::string upper = kHex;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(parse_sidecar(upper + "  ./dir/f.iso\n", names), "sha256:" + kHex);
  // A list picks the line naming this file.
  EXPECT_EQ(parse_sidecar(kOther + "  g.iso\n" + kHex + "  f.iso\n", names), "sha256:" + kHex);
  // One line naming another file, several lines none naming this one, or no digest: nothing.
  EXPECT_FALSE(parse_sidecar(kOther + "  g.iso\n", names));
  EXPECT_FALSE(parse_sidecar(kOther + "  g.iso\n" + kHex + "  h.iso\n", names));
  EXPECT_FALSE(parse_sidecar("<html>not found</html>\n", names));
  EXPECT_FALSE(parse_sidecar(kHex.substr(1) + "  f.iso\n", names));
  EXPECT_FALSE(parse_sidecar("", names));
}

}  // namespace
}  // namespace tseeder::engine_http
