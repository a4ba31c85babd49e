// Runs the slow steps after a download (virus scan, upload to storage) on worker threads so the
// event loop never waits on them; each step's result is applied back on the loop.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>

#include "core/ids.h"
#include "store/db.h"

namespace tseeder::jobs {

class Pipeline {
 public:
  // A step runs on a worker; what it returns then runs on the loop.
  using Step = std::function<std::function<void()>(std::stop_token)>;
  // Told on the loop, instead of the process ending, when a step or its result throws.
  using Failed = std::function<void(const std::string& what)>;

  // With the daemon's store, the open commit group is committed before a step or detached work
  // starts: work whose effects outlive a crash begins from a state a restart will find.
  Pipeline(boost::asio::io_context& io, std::size_t threads, store::Db* db = nullptr);
  ~Pipeline();  // stops every step and waits for the workers

  // Loop thread only. Replaces (and stops) any step of the same job.
  void run(const JobId& job, Step step, Failed failed);
  // Asks the job's step to stop; its result is dropped. The step cleans up what it made.
  void stop(const JobId& job);
  bool busy(const JobId& job) const { return steps_.count(job) > 0; }
  // Work that belongs to no job step and is never stopped (e.g. deleting a job's objects).
  void detach(std::function<void()> work, Failed failed);
  // Stops every step and waits until the workers are idle; nothing runs on the loop afterwards.
  void shutdown();

 private:
  boost::asio::io_context& io_;
  boost::asio::thread_pool pool_;
  store::Db* db_;
  std::uint64_t next_generation_ = 1;
  struct Running {
    std::uint64_t generation;
    std::stop_source stop;
  };
  std::map<JobId, Running> steps_;
  bool shut_down_ = false;
  // Results already posted to the loop check this (on the loop) before touching the pipeline.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tseeder::jobs
