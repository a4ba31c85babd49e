// Runs engine jobs and carries their events (from engine threads) onto the event loop.
#pragma once
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <map>
#include <memory>

#include "jobs/job_service.h"

namespace tseeder::jobs {

class JobRunner final : public Workers {
 public:
  JobRunner(boost::asio::io_context& io, JobService& service);
  ~JobRunner() override;
  void start(const Job& job, plugin::Engine& engine) override;
  void stop(const JobId& job) override;
  bool running(const JobId& job) const override { return running_.count(job) > 0; }
  std::size_t active() const override { return running_.size(); }
  void stop_all();

 private:
  class Events;
  struct Running {
    std::uint64_t generation;
    std::unique_ptr<plugin::EngineJob> engine_job;
  };
  // Events of a run that has since been stopped are dropped.
  bool current(const JobId& job, std::uint64_t generation) const;

  boost::asio::io_context& io_;
  JobService& service_;
  std::uint64_t next_generation_ = 1;
  std::map<JobId, Running> running_;
};

}  // namespace tseeder::jobs
