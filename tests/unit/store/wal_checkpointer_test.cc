#include "store/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "core/ids.h"

namespace tseeder::store {
namespace {

using namespace std::chrono_literals;

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tseeder-wal-" + random_hex_id(6));
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<Db>((dir_ / "t.db").string());
    db_->exec("CREATE TABLE t(v BLOB)");
    db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");  // the table is in the database file
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Each row fills most of a 4 KiB page; each commit adds a leaf page and rewrites the tree's
  // root: two frames or more in the log.
  void write_rows(int n) {
    for (int i = 0; i < n; ++i) db_->exec("INSERT INTO t VALUES (randomblob(3500))");
  }
  // One commit of n rows: the log passes the threshold at once and no later commit restarts it
  // before the checkpointer has copied all of it.
  void write_rows_at_once(int n) {
    db_->exec("BEGIN");
    write_rows(n);
    db_->exec("COMMIT");
  }
  std::uintmax_t database_bytes() const { return std::filesystem::file_size(dir_ / "t.db"); }

  std::filesystem::path dir_;
  std::unique_ptr<Db> db_;
};

TEST_F(WalCheckpointerTest, WaitsForTheLogToGrowThenCopiesItBack) {
  const auto before = database_bytes();
  WalCheckpointer checkpointer(*db_, 5ms, 200);
  write_rows(20);                      // about 40 frames
  std::this_thread::sleep_for(100ms);  // twenty periods: none may copy a log this short
  EXPECT_EQ(database_bytes(), before);
  write_rows_at_once(200);
  // Waits for the whole log to be copied back, not for its first pages.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (database_bytes() <= before + 200 * 3500 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  EXPECT_GT(database_bytes(), before + 200 * 3500);
}

TEST_F(WalCheckpointerTest, StopCopiesWhatIsLeft) {
  const auto before = database_bytes();
  WalCheckpointer checkpointer(*db_, 1h, 1000000);
  write_rows(10);
  checkpointer.stop();
  EXPECT_GT(database_bytes(), before + 10 * 3500);
}

}  // namespace
}  // namespace tseeder::store
