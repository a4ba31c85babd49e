// Reader threads: statements made through the loop's Db run on each thread's own read-only
// connection, see only what is committed, and cannot write.
#include "store/read_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>

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
  std::atomic<int> seen{0};
  std::promise<void> all;
  constexpr int kReads = 500;
  for (int i = 0; i < kReads; ++i)
    pool.post([&] {
      if (count() >= 1 && ++seen == kReads) all.set_value();
    });
  for (int v = 0; v < 200; ++v) put(v);
  all.get_future().get();
  EXPECT_EQ(seen.load(), kReads);
  EXPECT_EQ(count(), 201);
}

}  // namespace
}  // namespace tseeder::store
