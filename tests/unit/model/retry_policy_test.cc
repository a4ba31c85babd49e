#include "model/retry_policy.h"

#include <gtest/gtest.h>

namespace tseeder::queue {
namespace {

TEST(RetryPolicy, ExponentialFromFifteenSecondsCappedAtTenMinutes) {
  RetryPolicy p;
  EXPECT_EQ(p.delay_ms(1, 0), 15'000);
  EXPECT_EQ(p.delay_ms(2, 0), 30'000);
  EXPECT_EQ(p.delay_ms(3, 0), 60'000);
  EXPECT_EQ(p.delay_ms(6, 0), 480'000);
  EXPECT_EQ(p.delay_ms(7, 0), 600'000);
  EXPECT_EQ(p.delay_ms(40, 0), 600'000);
}

TEST(RetryPolicy, JitterOnlyShortensByAtMostAFifth) {
  RetryPolicy p;
  EXPECT_EQ(p.delay_ms(1, 1.0), 12'000);
  EXPECT_EQ(p.delay_ms(1, 0.5), 13'500);
  EXPECT_LE(p.delay_ms(50, 0.99), 600'000);
}

TEST(RetryPolicy, FiveAttempts) {
  RetryPolicy p;
  EXPECT_TRUE(p.may_retry(4));
  EXPECT_FALSE(p.may_retry(5));
}

}  // namespace
}  // namespace tseeder::queue
