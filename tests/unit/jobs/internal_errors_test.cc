// An error escaping work on a job ends that job, not the daemon; and a step that brought the
// daemon down twice is not resumed a third time.
#include <gtest/gtest.h>

#include <stdexcept>

#include "service_fixture.h"
#include "store/event_repo.h"

namespace tseeder::jobs {
namespace {

using test_support::ServiceFixture;

class InternalErrorsTest : public ServiceFixture {
 protected:
  Job job(const JobId& id) { return *store::JobRepo(*db_).find(id); }
};

TEST_F(InternalErrorsTest, AnErrorEscapingWorkOnAJobFailsThatJob) {
  const auto id = job_in("00000000000000a1", JobState::downloading);
  service_->guarded(id, [] { throw std::runtime_error("UNIQUE constraint failed: files.job_id, files.path"); });
  const auto j = job(id);
  EXPECT_EQ(j.status, JobState::failed);
  EXPECT_EQ(j.error_code, "INTERNAL");
  EXPECT_NE(j.error->find("internal error: UNIQUE constraint failed"), std::string::npos) << *j.error;
  EXPECT_FALSE(store::QueueRepo(*db_).find(id).has_value());  // not retried on its own
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_NE(reports_[0].find("UNIQUE constraint failed"), std::string::npos);
  // A retry by hand is allowed: the job keeps its partial data.
  EXPECT_EQ(service_->actions().retry(kOwner, id).status, JobState::queued);
}

TEST_F(InternalErrorsTest, AFinishedJobIsLeftAsItIsAndTheErrorReported) {
  const auto id = job_in("00000000000000a2", JobState::completed);
  service_->guarded(id, [] { throw 7; });
  EXPECT_EQ(status(id), JobState::completed);
  ASSERT_EQ(reports_.size(), 1u);
  // Work for a job that is gone is reported too, and nothing throws.
  service_->on_internal_error(JobId{"00000000000000ff"}, "late event");
  EXPECT_EQ(reports_.size(), 2u);
}

TEST_F(InternalErrorsTest, RecoveryDoesNotResumeAStepThatStoppedTheDaemonTwice) {
  const auto id = job_in("00000000000000a3", JobState::scanning);
  EXPECT_EQ(service_->recovery().recover("node"), 1);  // first unclean stop: resumed
  EXPECT_EQ(status(id), JobState::queued);
  store::JobRepo(*db_).set_status(id, JobState::scanning, std::nullopt, clock_.now);  // dispatched again
  EXPECT_EQ(service_->recovery().recover("node"), 0);  // the same step, no progress: not again
  const auto j = job(id);
  EXPECT_EQ(j.status, JobState::failed);
  EXPECT_EQ(j.error_code, "INTERNAL");
  EXPECT_NE(j.error->find("stopped unexpectedly twice while this job was scanning"), std::string::npos);
  EXPECT_FALSE(store::QueueRepo(*db_).find(id).has_value());
}

TEST_F(InternalErrorsTest, RecoveryResumesAStepThatMadeProgressOrChanged) {
  const auto id = job_in("00000000000000a4", JobState::downloading);
  store::JobRepo repo(*db_);
  auto at = [&](JobState s, std::uint64_t done) {
    repo.set_status(id, s, std::nullopt, clock_.now);
    Progress p;
    p.bytes_done = done;
    repo.set_progress(id, p, clock_.now);
  };
  at(JobState::downloading, 100);
  EXPECT_EQ(service_->recovery().recover("node"), 1);
  at(JobState::downloading, 5000);  // a long download: every stop found it further on
  EXPECT_EQ(service_->recovery().recover("node"), 1);
  at(JobState::uploading, 5000);  // the same bytes, another step
  EXPECT_EQ(service_->recovery().recover("node"), 1);
  EXPECT_EQ(status(id), JobState::queued);
}

}  // namespace
}  // namespace tseeder::jobs
