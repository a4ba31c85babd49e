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

// Reader threads get only reads that write nothing, audit nothing and answer in one piece: the
// routes marked so are GETs without an audit action, and no live stream among them.
TEST(Router, OnlyPlainReadsRunOnReaderThreads) {
  int marked = 0;
  for (const auto& route : all_routes()) {
    if (!route.reads_store_only) continue;
    ++marked;
    EXPECT_EQ(route.method, http::verb::get) << route.pattern;
    EXPECT_TRUE(route.audit.empty()) << route.pattern;
    EXPECT_FALSE(route.pattern.ends_with("/events")) << route.pattern;
    EXPECT_FALSE(route.pattern.ends_with("/content")) << route.pattern;
    EXPECT_FALSE(route.pattern.ends_with("/zip")) << route.pattern;
  }
  EXPECT_GE(marked, 10);
}

}  // namespace
}  // namespace tseeder::daemon
