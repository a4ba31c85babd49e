#include "checkpointer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace tseeder::engine_http {
namespace {

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("checkpointer-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    fd_ = ::open((dir_ / "data").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(fd_, 0);
    ASSERT_EQ(::pwrite(fd_, "0123456789", 10, 0), 10);
  }
  void TearDown() override {
    ::close(fd_);
    std::filesystem::remove_all(dir_);
  }
  std::string state_path() const { return (dir_ / "state").string(); }
  static PartialState state_with(std::uint64_t done) {
    return {"\"v\"", "f.bin", 20, "", {{0, 10, done}, {10, 20, 0}}};
  }

  std::filesystem::path dir_;
  int fd_ = -1;
};

TEST_F(CheckpointerTest, SavesTheSnapshotInTheBackground) {
  Checkpointer c(state_path());
  ASSERT_TRUE(c.start(fd_, state_with(10)));
  c.wait();
  auto back = read_partial_state(state_path());
  ASSERT_TRUE(back);
  ASSERT_EQ(back->segments.size(), 2u);
  EXPECT_EQ(back->segments[0].done, 10u);
  EXPECT_TRUE(c.start(fd_, state_with(9)));  // the previous save is over: a new one starts
}

TEST_F(CheckpointerTest, SaveNowComesAfterTheRunningSave) {
  Checkpointer c(state_path());
  c.start(fd_, state_with(3));
  c.save_now(fd_, state_with(7));
  auto back = read_partial_state(state_path());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->segments[0].done, 7u);  // never overwritten by the older snapshot
}

TEST(WorthSavingTest, NotWhenTheRestArrivesBeforeTheNextSave) {
  constexpr std::uint64_t MiB = 1 << 20;
  EXPECT_TRUE(worth_saving(2048 * MiB, 700 * MiB, 0));             // 1348 to go, 700 since the last save
  EXPECT_FALSE(worth_saving(2048 * MiB, 1100 * MiB, 0));           // 948 to go, 1100 since
  EXPECT_FALSE(worth_saving(2048 * MiB, 1600 * MiB, 1000 * MiB));  // 448 to go, 600 since: ends soon
  EXPECT_TRUE(worth_saving(2048 * MiB, 1040 * MiB, 1000 * MiB));   // the pace fell: a save is due
  EXPECT_TRUE(worth_saving(2048 * MiB, 1000 * MiB, 1000 * MiB));   // nothing came: the rest outlasts it
  EXPECT_FALSE(worth_saving(2048 * MiB, 2048 * MiB, 1000 * MiB));  // all in
}

}  // namespace
}  // namespace tseeder::engine_http
