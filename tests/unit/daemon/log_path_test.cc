#include "http/log_path.h"

#include <gtest/gtest.h>

namespace tseeder::daemon {
namespace {

TEST(LogPath, TokensAfterADlSegmentNeverShow) {
  for (const char* p : {"/dl/abc.1.2.SECRET", "//dl/SECRET", "/dl%2FSECRET", "/dl%252FSECRET", "/%64l/SECRET",
                        "/DL/SECRET", "/x/../dl/SECRET", "/dl;SECRET", "/dl.SECRET", "\\dl\\SECRET", "/dl"})
    EXPECT_EQ(log_path(p).find("SECRET"), std::string::npos) << p;
  EXPECT_EQ(log_path("//dl/SECRET"), "/dl/…");
}

TEST(LogPath, OtherPathsStayReadable) {
  EXPECT_EQ(log_path("/jobs/0123456789abcdef/files"), "/jobs/0123456789abcdef/files");
  EXPECT_EQ(log_path("/admin/dlq/0123456789abcdef/replay"), "/admin/dlq/0123456789abcdef/replay");
  EXPECT_EQ(log_path("/"), "/");
  EXPECT_LE(log_path(std::string(1000, 'a')).size(), 210u);
  EXPECT_EQ(log_path("/a\xff"), "/a_");
}

}  // namespace
}  // namespace tseeder::daemon
