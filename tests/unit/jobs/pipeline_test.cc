// A step that throws, on its worker or in the result it hands back to the loop, is reported to
// its caller and never ends the process.
#include "jobs/pipeline.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <stdexcept>

namespace tseeder::jobs {
namespace {

// Runs the loop until `failed` was told something (bounded).
struct Loop {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> busy = boost::asio::make_work_guard(io);
  std::string failed;
  Pipeline::Failed report() {
    return [this](const std::string& what) {
      failed = what;
      io.stop();
    };
  }
  void run() { io.run_for(std::chrono::seconds(10)); }
};

TEST(Pipeline, AStepThatThrowsOnItsWorkerIsReported) {
  Loop loop;
  Pipeline pipeline(loop.io, 1);
  pipeline.run(
      JobId{"00000000000000b1"},
      [](std::stop_token) -> std::function<void()> { throw std::runtime_error("scanner blew up"); }, loop.report());
  loop.run();
  EXPECT_EQ(loop.failed, "scanner blew up");
  EXPECT_FALSE(pipeline.busy(JobId{"00000000000000b1"}));
}

TEST(Pipeline, AResultThatThrowsOnTheLoopIsReported) {
  Loop loop;
  Pipeline pipeline(loop.io, 1);
  pipeline.run(
      JobId{"00000000000000b2"},
      [](std::stop_token) -> std::function<void()> { return [] { throw std::runtime_error("store refused"); }; },
      loop.report());
  loop.run();
  EXPECT_EQ(loop.failed, "store refused");
}

TEST(Pipeline, DetachedWorkThatThrowsIsReported) {
  Loop loop;
  Pipeline pipeline(loop.io, 1);
  pipeline.detach([] { throw std::runtime_error("listing failed"); }, loop.report());
  loop.run();
  EXPECT_EQ(loop.failed, "listing failed");
}

}  // namespace
}  // namespace tseeder::jobs
