#include "auth/kdf_memory.h"

#include <gtest/gtest.h>

namespace tseeder::auth {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
constexpr std::size_t kBytes = 1 << 20;

class KdfMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override { kdf_memory::release_idle(seconds(0)); }
  void TearDown() override { kdf_memory::release_idle(seconds(0)); }
};

TEST_F(KdfMemoryTest, AGivenBackBufferServesTheNextHash) {
  std::uint8_t* first = kdf_memory::lend(kBytes);
  ASSERT_NE(first, nullptr);
  first[kBytes - 1] = 1;  // writable to its end
  kdf_memory::give_back(first);
  EXPECT_EQ(kdf_memory::lend(kBytes / 2), first);  // a smaller hash fits in it
  kdf_memory::give_back(first);
  EXPECT_EQ(kdf_memory::mapped_bytes(), kBytes);
}

TEST_F(KdfMemoryTest, HashesAtOnceGetABufferEach) {
  std::uint8_t* a = kdf_memory::lend(kBytes);
  std::uint8_t* b = kdf_memory::lend(kBytes);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_EQ(kdf_memory::mapped_bytes(), 2 * kBytes);
  kdf_memory::give_back(a);
  kdf_memory::give_back(b);
}

TEST_F(KdfMemoryTest, IdleBuffersGoBackLentOnesStay) {
  std::uint8_t* kept = kdf_memory::lend(kBytes);
  std::uint8_t* lent = kdf_memory::lend(kBytes);
  kdf_memory::give_back(kept);
  EXPECT_EQ(kdf_memory::release_idle(hours(1)), 0u);  // used just now
  EXPECT_EQ(kdf_memory::release_idle(seconds(0)), kBytes);
  EXPECT_EQ(kdf_memory::mapped_bytes(), kBytes);  // the lent one is still in use
  lent[0] = 1;
  kdf_memory::give_back(lent);
  EXPECT_EQ(kdf_memory::release_idle(seconds(0)), kBytes);
  EXPECT_EQ(kdf_memory::mapped_bytes(), 0u);
}

}  // namespace
}  // namespace tseeder::auth
