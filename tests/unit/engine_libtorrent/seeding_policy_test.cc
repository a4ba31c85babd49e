#include "seeding_policy.h"

#include <gtest/gtest.h>

namespace tseeder::engine_libtorrent {
namespace {

TEST(SeedingPolicy, NoGoalsMeansNoSeeding) {
  SeedingPolicy p;
  EXPECT_FALSE(p.seeds());
  EXPECT_TRUE(p.done(0, 100, 0));
}

TEST(SeedingPolicy, RatioGoal) {
  SeedingPolicy p{1.5, 0};
  EXPECT_TRUE(p.seeds());
  EXPECT_FALSE(p.done(149, 100, 1'000'000));
  EXPECT_TRUE(p.done(150, 100, 0));
}

TEST(SeedingPolicy, TimeGoal) {
  SeedingPolicy p{0, 60};
  EXPECT_FALSE(p.done(1'000'000, 100, 59));
  EXPECT_TRUE(p.done(0, 100, 60));
}

TEST(SeedingPolicy, WhicheverComesFirst) {
  SeedingPolicy p{2.0, 3600};
  EXPECT_FALSE(p.done(100, 100, 10));
  EXPECT_TRUE(p.done(200, 100, 10));
  EXPECT_TRUE(p.done(0, 100, 3600));
}

}  // namespace
}  // namespace tseeder::engine_libtorrent
