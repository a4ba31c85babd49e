// Pieces of stored objects read on workers come back on the loop, whole or with the reason.
#include "storage/range_reads.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>

#include "core/ids.h"
#include "storage/local_storage.h"

namespace tseeder::storage {
namespace {

namespace fs = std::filesystem;

struct Got {
  std::optional<std::string> bytes;
  std::string error;
};

class RangeReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_);
    std::ofstream(root_ / "src.bin") << "0123456789";
    key_ = storage_.put_file(UserId{"0123456789abcdef"}, JobId{"fedcba9876543210"}, "a.bin", root_ / "src.bin", {}).key;
  }
  void TearDown() override { fs::remove_all(root_); }

  Got read(const std::string& key, std::uint64_t offset, std::size_t length) {
    Got got;
    bool called = false;
    reads_.read(key, offset, length, [&](std::optional<std::string> bytes, std::string error) {
      got = {std::move(bytes), std::move(error)};
      called = true;
    });
    io_.restart();
    // The answer is posted from a worker: the loop must wait for it, not run dry.
    auto guard = boost::asio::make_work_guard(io_);
    while (!called) io_.run_one();
    return got;
  }

  fs::path root_ = fs::temp_directory_path() / ("tseeder-reads-" + random_hex_id(6));
  LocalStorage storage_{root_ / "storage"};
  boost::asio::io_context io_;
  RangeReads reads_{io_, storage_, 2};
  std::string key_;
};

TEST_F(RangeReadsTest, ReadsTheRangeAskedFor) {
  EXPECT_EQ(read(key_, 0, 4).bytes, "0123");
  EXPECT_EQ(read(key_, 6, 4).bytes, "6789");
  EXPECT_EQ(read(key_, 3, 0).bytes, "");
}

TEST_F(RangeReadsTest, MissingShortOrOutsideObjectsSayWhy) {
  auto past = read(key_, 8, 4);
  EXPECT_FALSE(past.bytes);
  EXPECT_NE(past.error.find("shorter than its recorded size"), std::string::npos) << past.error;
  auto missing = read("0123456789abcdef/fedcba9876543210/files/none.bin", 0, 1);
  EXPECT_FALSE(missing.bytes);
  EXPECT_NE(missing.error.find("is missing"), std::string::npos) << missing.error;
  auto outside = read("../../etc/passwd", 0, 1);
  EXPECT_FALSE(outside.bytes);
  EXPECT_NE(outside.error.find("is missing"), std::string::npos) << outside.error;
}

TEST_F(RangeReadsTest, NothingComesBackAfterShutdown) {
  reads_.shutdown();
  bool called = false;
  reads_.read(key_, 0, 1, [&](std::optional<std::string>, std::string) { called = true; });
  io_.restart();
  io_.poll();
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace tseeder::storage
