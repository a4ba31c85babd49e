// The disk guard while downloading: when free space in the download directory falls below the
// reserve, the newest download stops and waits in `queued` saying why, to be tried again in 30 s;
// older downloads go on; a job following another's download fetches nothing, so it is never the
// one picked.
#include <gtest/gtest.h>

#include <set>

#include "service_fixture.h"
#include "store/event_repo.h"
#include "store/queue_repo.h"

namespace tseeder::jobs {
namespace {

using test_support::ServiceFixture;

// Engines that only note what the service asks of them.
class FakeWorkers final : public Workers {
 public:
  void start(const Job& job, plugin::Engine&, const plugin::JobSettings&) override { running_.insert(job.id.value); }
  void configure(const JobId&, const plugin::JobSettings&) override {}
  void stop(const JobId& job) override {
    if (running_.erase(job.value)) stopped.push_back(job.value);
  }
  bool running(const JobId& job) const override { return running_.contains(job.value); }
  std::size_t active() const override { return running_.size(); }
  std::size_t capacity() const override { return 4; }
  std::optional<std::string> unable(const std::string&) const override { return std::nullopt; }
  void downloaded(const JobId& job, bool) override { stop(job); }
  bool remote(const JobId&) const override { return false; }
  void run(const JobId& job) { running_.insert(job.value); }

  std::vector<std::string> stopped;

 private:
  std::set<std::string> running_;
};

constexpr std::uint64_t kReserve = 1'000'000'000;

class DiskGuardTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    service_->set_workers(&workers_);
    service_->set_disk_guard(kReserve, [this](const std::string& d) {
      asked_dir = d;
      return free;
    });
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

  FakeWorkers workers_;
  std::uint64_t free = 5 * kReserve;
  std::string asked_dir;
};

TEST_F(DiskGuardTest, AboveTheReserveEveryDownloadGoesOn) {
  const auto a = downloading("000000000000000a");
  const auto b = downloading("000000000000000b");
  free = kReserve;
  service_->check_disk();
  EXPECT_EQ(asked_dir, (dir_ / "downloads").string());
  EXPECT_EQ(status(a), JobState::downloading);
  EXPECT_EQ(status(b), JobState::downloading);
  EXPECT_TRUE(workers_.stopped.empty());
}

TEST_F(DiskGuardTest, BelowTheReserveTheNewestDownloadWaitsQueuedSayingWhy) {
  const auto older = downloading("000000000000000a");
  const auto newer = downloading("000000000000000b");
  free = kReserve - 1;
  service_->check_disk();
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
  service_->check_disk();
  EXPECT_EQ(status(older), JobState::queued);
  EXPECT_EQ(workers_.stopped, (std::vector<std::string>{newer.value, older.value}));
}

TEST_F(DiskGuardTest, AFollowerFetchesNothingSoItsLeaderStepsBack) {
  const auto leader = downloading("000000000000000a");
  const auto follower = downloading("000000000000000b", leader);
  free = 0;
  service_->check_disk();
  EXPECT_EQ(status(leader), JobState::queued);
  // The leader stepping back takes its follower along, to run again with it.
  EXPECT_EQ(status(follower), JobState::queued);
  EXPECT_EQ(workers_.stopped, std::vector<std::string>{leader.value});
}

}  // namespace
}  // namespace tseeder::jobs
