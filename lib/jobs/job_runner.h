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
  void start(const Job& job, plugin::Engine& engine, const plugin::JobSettings& settings) override;
  void configure(const JobId& job, const plugin::JobSettings& settings) override;
  void stop(const JobId& job) override;
  bool running(const JobId& job) const override { return running_.count(job) > 0; }
  std::size_t active() const override;
  void mark_seeding(const JobId& job) override;
  void stop_all();

 private:
  class Events;
  struct Running {
    std::uint64_t generation;
    std::unique_ptr<plugin::EngineJob> engine_job;
    Job job;
    plugin::Engine* engine;
    plugin::JobSettings settings;
    bool seeding;  // completed and stored; the engine only uploads now
  };
  // Events of a run that has since been stopped are dropped.
  bool current(const JobId& job, std::uint64_t generation) const;

  boost::asio::io_context& io_;
  JobService& service_;
  std::uint64_t next_generation_ = 1;
  std::map<JobId, Running> running_;
};

}  // namespace tseeder::jobs
