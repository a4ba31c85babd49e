// A queue message the dispatcher hands out again for a job no longer waiting: one of a job that
// ended goes, one of a job still running (a download outliving its lease, a follower) stays, so
// a later retry or wait of that job has a message to move.
#include <gtest/gtest.h>

#include "service_fixture.h"

namespace tseeder::jobs {
namespace {

using test_support::ServiceFixture;

class DispatchTest : public ServiceFixture {
 protected:
  // The dispatcher's next round, once every lease has run out.
  bool next_round(const JobId& id) {
    clock_.now += kLeaseMs + 1;
    store::QueueRepo(*db_).lease_ready("node", clock_.now, clock_.now + kLeaseMs, 10);
    return service_->flow().dispatch(id);
  }
};

TEST_F(DispatchTest, ARunningJobKeepsItsMessagePastItsLease) {
  const auto job = job_in("000000000000000a", JobState::downloading);
  EXPECT_FALSE(next_round(job));
  EXPECT_EQ(status(job), JobState::downloading);
  EXPECT_TRUE(store::QueueRepo(*db_).find(job).has_value());
}

TEST_F(DispatchTest, AnEndedJobsMessageGoes) {
  for (auto [id, state] :
       {std::pair{"000000000000000b", JobState::paused}, std::pair{"000000000000000c", JobState::cancelled},
        std::pair{"000000000000000d", JobState::failed}}) {
    const auto job = job_in(id, state);
    EXPECT_FALSE(next_round(job));
    EXPECT_FALSE(store::QueueRepo(*db_).find(job).has_value()) << id;
  }
}

}  // namespace
}  // namespace tseeder::jobs
