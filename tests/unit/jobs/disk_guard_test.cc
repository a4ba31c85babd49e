// The disk guard while downloading: when free space in the download directory falls below the
// reserve, the newest download stops and waits in `queued` saying why, to be tried again in 30 s;
// older downloads go on; a job following another's download fetches nothing, so it is never the
// one picked.
#include <gtest/gtest.h>

#include "service_fixture.h"
#include "store/event_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {
namespace {

using test_support::ServiceFixture;

constexpr std::uint64_t kReserve = 1'000'000'000;

class DiskGuardTest : public ServiceFixture {
 protected:
  void SetUp() override {
    reserve_ = kReserve;
    free_ = 5 * kReserve;
    ServiceFixture::SetUp();
  }
  // A download under way: its row, its leased queue message and a running engine.
  JobId downloading(const std::string& id, std::optional<JobId> follows = std::nullopt) {
    const auto job = job_in(id, JobState::downloading);
    if (follows)
      store::JobRepo(*db_).set_follows(job, *follows);
    else
      workers_.run(job);
    return job;
  }
};

TEST_F(DiskGuardTest, AboveTheReserveEveryDownloadGoesOn) {
  const auto a = downloading("000000000000000a");
  const auto b = downloading("000000000000000b");
  free_ = kReserve;
  service_->admission().check_disk();
  EXPECT_EQ(asked_dir_, (dir_ / "downloads").string());
  EXPECT_EQ(status(a), JobState::downloading);
  EXPECT_EQ(status(b), JobState::downloading);
  EXPECT_TRUE(workers_.stopped.empty());
}

TEST_F(DiskGuardTest, BelowTheReserveTheNewestDownloadWaitsQueuedSayingWhy) {
  const auto older = downloading("000000000000000a");
  const auto newer = downloading("000000000000000b");
  free_ = kReserve - 1;
  service_->admission().check_disk();
  EXPECT_EQ(status(older), JobState::downloading);
  EXPECT_EQ(status(newer), JobState::queued);
  EXPECT_EQ(workers_.stopped, std::vector<std::string>{newer.value});
  const auto events = store::EventRepo(*db_).after(newer, 0);
  ASSERT_FALSE(events.empty());
  EXPECT_NE(events.back().data.find("paused for disk space"), std::string::npos) << events.back().data;
  EXPECT_NE(events.back().data.find("reserve (downloads.reserve_mib)"), std::string::npos) << events.back().data;
  // Tried again in 30 s, not at once, and not counted as a failed attempt.
  const auto msg = store::QueueRepo(*db_).find(newer);
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->available_at_ms, clock_.now + 30'000);
  EXPECT_EQ(msg->attempts, 0);

  // Still short at the next check: the next newest steps back too.
  service_->admission().check_disk();
  EXPECT_EQ(status(older), JobState::queued);
  EXPECT_EQ(workers_.stopped, (std::vector<std::string>{newer.value, older.value}));
}

TEST_F(DiskGuardTest, AFollowerFetchesNothingSoItsLeaderStepsBack) {
  const auto leader = downloading("000000000000000a");
  const auto follower = downloading("000000000000000b", leader);
  free_ = 0;
  service_->admission().check_disk();
  EXPECT_EQ(status(leader), JobState::queued);
  // The leader stepping back takes its follower along, to run again with it.
  EXPECT_EQ(status(follower), JobState::queued);
  EXPECT_EQ(workers_.stopped, std::vector<std::string>{leader.value});
}

}  // namespace
}  // namespace tseeder::jobs
