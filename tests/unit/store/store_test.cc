#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "store/db.h"
#include "store/event_repo.h"
#include "store/file_repo.h"
#include "store/job_repo.h"
#include "store/migrations.h"
#include "store/queue_repo.h"
#include "store/usage_repo.h"
#include "temp_db.h"

namespace tseeder::store {
namespace {

class StoreTest : public TempDbTest {
 protected:
  jobs::Job make_job(const std::string& id) {
    jobs::Job j;
    j.id = JobId{id};
    j.user_id = kLocalOwner;
    j.source_kind = "url";
    j.source = "http://x/" + id;
    j.created_at_ms = j.updated_at_ms = 1000;
    return j;
  }
};

TEST_F(StoreTest, WalModeAndForeignKeys) {
  auto q = db_->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.text(0), "wal");
  auto f = db_->prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(f.step());
  EXPECT_EQ(f.int64(0), 1);
}

TEST_F(StoreTest, MigrationsAreIdempotentAndVersioned) {
  auto st = migration_status(*db_);
  EXPECT_EQ(st.current, st.latest);
  EXPECT_TRUE(st.pending.empty());
  EXPECT_EQ(migrate_up(*db_), 0);
  for (const char* table : {"jobs", "job_events", "files", "queue_messages"}) {
    auto q = db_->prepare("SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?1");
    q.bind(1, table);
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.int64(0), 1) << table;
  }
}

TEST_F(StoreTest, RefusesNewerDatabase) {
  db_->exec("PRAGMA user_version = 999");
  try {
    migrate_up(*db_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 999"), std::string::npos);
  }
}

TEST_F(StoreTest, JobsEventsAndFiles) {
  JobRepo jobs(*db_);
  EventRepo events(*db_);
  FileRepo files(*db_);
  jobs.insert(make_job("aaaaaaaaaaaaaaaa"));
  EXPECT_EQ(events.append(JobId{"aaaaaaaaaaaaaaaa"}, "created", "{}", 1), 1);
  EXPECT_EQ(events.append(JobId{"aaaaaaaaaaaaaaaa"}, "status", "{}", 2), 2);
  jobs::Progress p;
  p.bytes_done = 5;
  EXPECT_EQ(jobs.set_progress(JobId{"aaaaaaaaaaaaaaaa"}, p, 3), 3);  // progress takes a number too
  EXPECT_EQ(events.append(JobId{"aaaaaaaaaaaaaaaa"}, "status", "{}", 4), 4);
  auto after = events.after(JobId{"aaaaaaaaaaaaaaaa"}, 1);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].seq, 2);
  EXPECT_EQ(after[1].seq, 4);
  files.insert({0, JobId{"aaaaaaaaaaaaaaaa"}, "a/b.bin", 10, "local/aaaaaaaaaaaaaaaa/files/a/b.bin"}, 5);
  EXPECT_EQ(files.for_job(JobId{"aaaaaaaaaaaaaaaa"}).size(), 1u);
  auto job = jobs.find(JobId{"aaaaaaaaaaaaaaaa"});
  ASSERT_TRUE(job);
  EXPECT_EQ(job->progress.bytes_done, 5u);
  EXPECT_EQ(job->last_seq, 4);
  jobs.remove(JobId{"aaaaaaaaaaaaaaaa"});
  EXPECT_TRUE(events.after(JobId{"aaaaaaaaaaaaaaaa"}, 0).empty());
  EXPECT_TRUE(files.for_job(JobId{"aaaaaaaaaaaaaaaa"}).empty());
}

// What a torrent uploaded is kept (migration 0014) while it downloads and while it seeds, and
// never goes back (an engine restarted without its count says less); the ratio follows it.
TEST_F(StoreTest, UploadedBytesAndTheShareRatio) {
  JobRepo jobs(*db_);
  const JobId id{"bbbbbbbbbbbbbbbb"};
  jobs.insert(make_job(id.value));
  jobs::Progress p;
  p.bytes_done = 200;
  p.bytes_uploaded = 50;
  jobs.set_progress(id, p, 1);
  p.bytes_uploaded = 300;
  p.upload_bps = 7;
  jobs.set_seeding(id, p);
  p.bytes_uploaded = 10;
  jobs.set_seeding(id, p);
  const auto job = jobs.find(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->progress.bytes_uploaded, 300u);
  EXPECT_EQ(job->progress.upload_bps, 7u);
  const Json j = jobs::to_json(job->progress);
  EXPECT_EQ(j["bytesUploaded"], 300);
  EXPECT_DOUBLE_EQ(j["ratio"].get<double>(), 1.5);
  jobs::Progress none;
  EXPECT_TRUE(jobs::to_json(none)["ratio"].is_null());
}

// An account's stored bytes are kept as files come and go (migration 0013), however they go.
TEST_F(StoreTest, StoredBytesFollowTheFiles) {
  JobRepo jobs(*db_);
  FileRepo files(*db_);
  UsageRepo usage(*db_);
  const JobId a{"aaaaaaaaaaaaaaaa"}, b{"bbbbbbbbbbbbbbbb"}, other{"cccccccccccccccc"};
  jobs.insert(make_job(a.value));
  jobs.insert(make_job(b.value));
  auto theirs = make_job(other.value);
  theirs.user_id = UserId{"someone-else"};
  jobs.insert(theirs);
  EXPECT_EQ(usage.stored_bytes(kLocalOwner), 0);
  files.insert({0, a, "one", 10, "k/one"}, 1);
  files.insert({0, a, "two", 20, "k/two"}, 1);
  files.insert({0, b, "three", 5, "k/three"}, 1);
  files.insert({0, other, "four", 1000, "k/four"}, 1);
  EXPECT_EQ(usage.stored_bytes(kLocalOwner), 35);
  files.remove_key("k/two", 2);  // its object went missing
  EXPECT_EQ(usage.stored_bytes(kLocalOwner), 15);
  files.remove_for_job(b);
  EXPECT_EQ(usage.stored_bytes(kLocalOwner), 10);
  jobs.remove(a);  // its files go with it
  EXPECT_EQ(usage.stored_bytes(kLocalOwner), 0);
  EXPECT_EQ(usage.stored_bytes(UserId{"someone-else"}), 1000);
}

TEST(StoreMigrations, RebuildingJobsKeepsTheirEventsFilesAndQueue) {
  auto dir = std::filesystem::temp_directory_path() / ("tseeder-migrate-" + random_hex_id(6));
  std::filesystem::create_directories(dir);
  {
    Db db((dir / "t.db").string());
    // A database as the release before 'scanning' left it.
    for (const auto& m : builtin_migrations()) {
      if (m.version >= 5) break;
      db.exec(m.sql);
      db.exec("PRAGMA user_version = " + std::to_string(m.version));
    }
    db.exec(
        "INSERT INTO jobs (id,user_id,source_kind,source,status,created_at,updated_at) "
        "VALUES ('cccccccccccccccc','local','url','http://x/','completed',1,1)");
    db.exec("INSERT INTO job_events VALUES ('cccccccccccccccc',1,'created','{}',1)");
    db.exec(
        "INSERT INTO files (job_id,path,size_bytes,storage_key,created_at) "
        "VALUES ('cccccccccccccccc','a',1,'k',1)");
    EXPECT_GE(migrate_up(db), 1);
    JobRepo jobs(db);
    auto job = jobs.find(JobId{"cccccccccccccccc"});
    ASSERT_TRUE(job);
    EXPECT_EQ(job->status, jobs::JobState::completed);
    EXPECT_FALSE(job->scan_status);
    EXPECT_EQ(EventRepo(db).after(JobId{"cccccccccccccccc"}, 0).size(), 1u);
    EXPECT_EQ(FileRepo(db).for_job(JobId{"cccccccccccccccc"}).size(), 1u);
    EXPECT_EQ(UsageRepo(db).stored_bytes(UserId{"local"}), 1);  // counted from the files there were
    // Foreign keys are back on: deleting the job still cascades.
    jobs.remove(JobId{"cccccccccccccccc"});
    EXPECT_TRUE(EventRepo(db).after(JobId{"cccccccccccccccc"}, 0).empty());
    EXPECT_EQ(UsageRepo(db).stored_bytes(UserId{"local"}), 0);
  }
  std::filesystem::remove_all(dir);
}

TEST_F(StoreTest, StatusCheckConstraint) {
  db_->exec(
      "INSERT INTO jobs (id,user_id,source_kind,source,status,created_at,updated_at) "
      "VALUES ('y','u','url','s','scanning',0,0)");
  EXPECT_THROW(db_->exec("INSERT INTO jobs (id,user_id,source_kind,source,status,created_at,updated_at) "
                         "VALUES ('x','u','url','s','sleeping',0,0)"),
               Error);
}

TEST_F(StoreTest, TransactionRollsBackWhenNotCommitted) {
  JobRepo jobs(*db_);
  {
    Transaction tx(*db_);
    jobs.insert(make_job("bbbbbbbbbbbbbbbb"));
  }
  EXPECT_FALSE(jobs.find(JobId{"bbbbbbbbbbbbbbbb"}));
}

TEST_F(StoreTest, QueueLeaseReleaseAck) {
  JobRepo jobs(*db_);
  QueueRepo queue(*db_);
  for (auto id : {"1111111111111111", "2222222222222222", "3333333333333333"}) jobs.insert(make_job(id));
  queue.enqueue(JobId{"1111111111111111"}, "k1", 100, 100);
  queue.enqueue(JobId{"2222222222222222"}, "k2", 200, 100);
  queue.enqueue(JobId{"3333333333333333"}, "k3", 5000, 100);  // backing off
  auto leased = queue.lease_ready("n1", 1000, 9999, 10);
  ASSERT_EQ(leased.size(), 2u);
  EXPECT_EQ(leased[0].job_id.value, "1111111111111111");
  EXPECT_TRUE(queue.lease_ready("n2", 1000, 9999, 10).empty());  // held by n1
  queue.release(JobId{"1111111111111111"}, 3000, true, std::string("boom"));
  EXPECT_EQ(queue.find(JobId{"1111111111111111"})->attempts, 1);
  EXPECT_TRUE(queue.lease_ready("n2", 2000, 9999, 10).empty());
  EXPECT_EQ(queue.lease_ready("n2", 6000, 99999, 10).size(), 2u);  // 1 and 3 now due
  queue.ack(JobId{"1111111111111111"});
  EXPECT_FALSE(queue.find(JobId{"1111111111111111"}));
  EXPECT_EQ(queue.clear_leases("n1"), 1);
  EXPECT_EQ(queue.count(), 2);
  // Re-enqueueing a job keeps one message per job.
  queue.enqueue(JobId{"2222222222222222"}, "k2", 100, 100);
  EXPECT_EQ(queue.count(), 2);
}

TEST_F(StoreTest, ExpiredLeaseIsTakenOver) {
  JobRepo(*db_).insert(make_job("4444444444444444"));
  QueueRepo queue(*db_);
  queue.enqueue(JobId{"4444444444444444"}, "k4", 0, 0);
  ASSERT_EQ(queue.lease_ready("dead", 10, 20, 1).size(), 1u);
  EXPECT_TRUE(queue.lease_ready("alive", 15, 100, 1).empty());
  EXPECT_EQ(queue.lease_ready("alive", 21, 100, 1).size(), 1u);
}

}  // namespace
}  // namespace tseeder::store
