// The retention boundary with a clock the test moves: a Free job completed at T is kept through
// T + 7 days - 1 ms and expired by the sweep at T + 7 days, its stored file removed and audited.
#include "jobs/storage_sweeper.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <filesystem>
#include <fstream>

#include "service_fixture.h"
#include "store/audit_repo.h"
#include "store/file_repo.h"
#include "store/user_repo.h"

namespace tseeder::jobs {
namespace {

namespace fs = std::filesystem;

using test_support::ServiceFixture;

constexpr std::int64_t kDay = 86'400'000;

class StorageSweeperTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    sweeper_ = std::make_unique<StorageSweeper>(*db_, clock_, *storage_, *audit_, service_->actions(), *pipeline_);
  }
  void TearDown() override {
    sweeper_.reset();
    ServiceFixture::TearDown();
  }

  // A Free account's job completed now, with one stored file.
  Job completed_job() {
    auth::User u;
    u.id = UserId{"00000000000000f1"};
    u.email = "free@example.com";
    u.plan = "free";
    u.created_at_ms = u.updated_at_ms = clock_.now;
    store::UserRepo(*db_).insert(u);
    Job j;
    j.id = JobId{"000000000000000a"};
    j.user_id = u.id;
    j.source_kind = "url";
    j.source = "http://example.com/a.bin";
    j.status = JobState::completed;
    j.created_at_ms = j.updated_at_ms = clock_.now;
    store::JobRepo repo(*db_);
    repo.insert(j);
    repo.set_status(j.id, JobState::completed, std::nullopt, clock_.now);
    const auto local = dir_ / "a.bin";
    std::ofstream(local) << "payload";
    auto obj = storage_->put_file(u.id, j.id, "a.bin", local, {});
    store::FileRepo(*db_).insert(StoredFile{0, j.id, "a.bin", obj.size_bytes, obj.key}, clock_.now);
    key_ = obj.key;
    return *repo.find(j.id);
  }

  store::SweepRow sweep() {
    std::optional<store::SweepRow> done;
    sweeper_->start(SweepRequest{}, [&](const store::SweepRow& r) { done = r; });
    io_.restart();
    // The worker posts its results to the loop: keep the loop waiting for them.
    auto guard = boost::asio::make_work_guard(io_);
    while (!done && io_.run_one()) {
    }
    EXPECT_TRUE(done.has_value());
    return done.value_or(store::SweepRow{});
  }

  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<StorageSweeper> sweeper_;
  std::string key_;
};

TEST_F(StorageSweeperTest, KeepsFilesThroughTheRetentionDaysAndExpiresThemAfter) {
  const Job job = completed_job();
  const auto stored = *storage_->local_path(key_);
  ASSERT_TRUE(fs::exists(stored));

  clock_.now += 7 * kDay - 1;
  auto first = sweep();
  EXPECT_EQ(first.expired_jobs, 0);
  EXPECT_EQ(first.trigger, "schedule");
  EXPECT_EQ(store::JobRepo(*db_).find(job.id)->status, JobState::completed);
  EXPECT_TRUE(fs::exists(stored));

  clock_.now += 1;
  auto second = sweep();
  EXPECT_EQ(second.expired_jobs, 1);
  EXPECT_EQ(second.bytes_freed, 7);
  EXPECT_FALSE(second.error);
  EXPECT_EQ(store::JobRepo(*db_).find(job.id)->status, JobState::expired);
  EXPECT_TRUE(store::FileRepo(*db_).for_job(job.id).empty());
  EXPECT_FALSE(fs::exists(stored));
  EXPECT_FALSE(fs::exists(stored.parent_path().parent_path()));  // metadata-less job dir went too

  store::AuditQuery q;
  q.action = "storage.expire";
  auto rows = store::AuditRepo(*db_).query(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].target.value_or(""), "job:" + job.id.value);
  EXPECT_EQ(rows[0].actor_id.value_or(""), "system");
}

}  // namespace
}  // namespace tseeder::jobs
