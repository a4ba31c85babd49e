// Reader threads: statements made through the loop's Db run on each thread's own read-only
// connection, see only what is committed, and cannot write.
#include "store/read_pool.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <vector>

#include "core/error.h"
#include "temp_db.h"

namespace tseeder::store {
namespace {

class ReadPoolTest : public TempDbTest {
 protected:
  void SetUp() override {
    TempDbTest::SetUp();
    db_->exec("CREATE TABLE t (v INTEGER NOT NULL)");
    put(1);
  }
  void put(std::int64_t v) { db_->prepare("INSERT INTO t (v) VALUES (?1)").bind(1, v).run(); }
  std::int64_t count() {
    auto s = db_->prepare("SELECT count(*) FROM t");
    s.step();
    return s.int64(0);
  }
  // Runs `read` on the pool and waits for it.
  template <typename F>
  auto on_reader(ReadPool& pool, F read) {
    std::promise<decltype(read())> done;
    pool.post([&] {
      try {
        done.set_value(read());
      } catch (...) {
        done.set_exception(std::current_exception());
      }
    });
    return done.get_future().get();
  }
};

TEST_F(ReadPoolTest, ReadsRunOnTheThreadsOwnConnection) {
  ReadPool pool(*db_, 2);
  EXPECT_EQ(on_reader(pool, [&] { return count(); }), 1);
  EXPECT_NE(on_reader(pool, [&] { return db_->raw(); }), db_->raw());
}

TEST_F(ReadPoolTest, ReadsSeeOnlyWhatIsCommitted) {
  ReadPool pool(*db_, 1);
  db_->begin_group();
  put(2);
  EXPECT_EQ(count(), 2) << "the loop sees its own open group";
  EXPECT_EQ(on_reader(pool, [&] { return count(); }), 1);
  db_->end_group();
  EXPECT_EQ(on_reader(pool, [&] { return count(); }), 2);
}

TEST_F(ReadPoolTest, AWriteOnAReaderFailsAndChangesNothing) {
  ReadPool pool(*db_, 1);
  EXPECT_THROW(on_reader(pool,
                         [&] {
                           Transaction tx(*db_);
                           put(3);
                           tx.commit();
                           return 0;
                         }),
               Error);
  EXPECT_EQ(count(), 1);
  db_->begin_group();
  on_reader(pool, [&] {
    db_->join_group();  // a reader never touches the loop's group
    db_->commit_group();
    return 0;
  });
  EXPECT_TRUE(db_->group_open());
  db_->end_group();
}

TEST_F(ReadPoolTest, ManyReadsAtOnceAllRunWhileTheLoopWrites) {
  ReadPool pool(*db_, 2);
  constexpr int kReads = 500;
  std::mutex mu;
  std::vector<std::int64_t> seen;  // what each read counted
  std::promise<void> all;
  for (int i = 0; i < kReads; ++i)
    pool.post([&] {
      const auto n = count();
      std::lock_guard lock(mu);
      seen.push_back(n);
      if (seen.size() == kReads) all.set_value();
    });
  for (int v = 0; v < 200; ++v) put(v);
  all.get_future().get();
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kReads));
  // Each read saw a committed state: the first row, and at most every insert made since.
  for (auto n : seen) {
    EXPECT_GE(n, 1);
    EXPECT_LE(n, 201);
  }
  EXPECT_EQ(count(), 201);
}

}  // namespace
}  // namespace tseeder::store
