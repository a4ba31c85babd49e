#include "http/router.h"

#include <gtest/gtest.h>

namespace tseeder::daemon {
namespace {

TEST(Router, MatchesParamsAnd404And405) {
  Router router(all_routes());
  auto m = router.match(http::verb::get, "/jobs/abc/files/7/content");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "abc");
  EXPECT_EQ(m.params.at("fileId"), "7");
  EXPECT_EQ(router.match(http::verb::get, "/nope").status, 404u);
  auto bad = router.match(http::verb::put, "/jobs");
  EXPECT_EQ(bad.status, 405u);
  EXPECT_NE(bad.allow.find("POST"), std::string::npos);
  EXPECT_NE(bad.allow.find("GET"), std::string::npos);
  // Only POST routes carry a body limit; GETs take no body.
  EXPECT_GT(router.match(http::verb::post, "/jobs").route->body_limit, 0u);
  EXPECT_EQ(router.match(http::verb::get, "/jobs").route->body_limit, 0u);
}

}  // namespace
}  // namespace tseeder::daemon
