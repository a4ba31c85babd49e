// Grouped commits and the statement cache of store::Db.
#include "store/db.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "temp_db.h"

namespace tseeder::store {
namespace {

class DbTest : public TempDbTest {
 protected:
  void SetUp() override {
    TempDbTest::SetUp();
    db_->exec("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)");
  }
  void put(std::int64_t v) { db_->prepare("INSERT INTO t (v) VALUES (?1)").bind(1, v).run(); }
  // What another connection sees: only what is committed.
  std::int64_t committed() {
    Db other(db_->path());
    auto s = other.prepare("SELECT count(*) FROM t");
    s.step();
    return s.int64(0);
  }
};

TEST_F(DbTest, AGroupCommitsItsTransactionsTogether) {
  db_->begin_group();
  for (std::int64_t v : {1, 2, 3}) {
    Transaction tx(*db_);
    put(v);
    tx.commit();
  }
  EXPECT_EQ(committed(), 0) << "nothing is on disk before the group ends";
  db_->end_group();
  EXPECT_FALSE(db_->group_open());
  EXPECT_EQ(committed(), 3);
}

TEST_F(DbTest, AFailedTransactionInAGroupUndoesOnlyItsOwnPart) {
  db_->begin_group();
  {
    Transaction tx(*db_);
    put(1);
    tx.commit();
  }
  try {
    Transaction tx(*db_);
    put(2);
    put(1);  // the UNIQUE constraint fails: 2 goes too
    tx.commit();
    FAIL() << "the duplicate was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::store);
  }
  db_->end_group();
  auto s = db_->prepare("SELECT group_concat(v) FROM t");
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.text(0), "1");
}

TEST_F(DbTest, TransactionsOutsideAGroupCommitAtOnce) {
  Transaction tx(*db_);
  put(7);
  tx.commit();
  EXPECT_EQ(committed(), 1);
}

TEST_F(DbTest, TheSameStatementCanRunNested) {
  for (std::int64_t v : {1, 2, 3}) put(v);
  const char* sql = "SELECT v FROM t WHERE v >= ?1 ORDER BY v";
  auto outer = db_->prepare(sql);
  outer.bind(1, std::int64_t{1});
  std::int64_t pairs = 0;
  while (outer.step()) {
    auto inner = db_->prepare(sql);  // the outer one is in use: a second statement, not a reset
    inner.bind(1, outer.int64(0));
    while (inner.step()) ++pairs;
  }
  EXPECT_EQ(pairs, 3 + 2 + 1);
}

}  // namespace
}  // namespace tseeder::store
