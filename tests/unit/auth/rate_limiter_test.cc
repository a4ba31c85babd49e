#include "auth/rate_limiter.h"

#include <gtest/gtest.h>

#include "manual_clock.h"

namespace tseeder::auth {
namespace {

TEST(RateLimiter, AllowsTheBurstThenSaysWhenToComeBack) {
  ManualClock clock;
  RateLimiter lim(clock);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(lim.take("k", 5, 60)) << i;
  auto wait = lim.take("k", 5, 60);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 12);  // one token per 12 s
  EXPECT_FALSE(lim.take("other", 5, 60)) << "buckets are per key";
  clock.now += 12'000;
  EXPECT_FALSE(lim.take("k", 5, 60));
  EXPECT_TRUE(lim.take("k", 5, 60));
}

TEST(RateLimiter, RefillsToTheBurstAndNoFurther) {
  ManualClock clock;
  RateLimiter lim(clock);
  for (int i = 0; i < 3; ++i) lim.take("k", 3, 60);
  clock.now += 3600'000;
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(lim.take("k", 3, 60));
  EXPECT_TRUE(lim.take("k", 3, 60));
}

TEST(RateLimiter, ZeroMeansNoLimit) {
  ManualClock clock;
  RateLimiter lim(clock);
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(lim.take("k", 0, 60));
}

}  // namespace
}  // namespace tseeder::auth
