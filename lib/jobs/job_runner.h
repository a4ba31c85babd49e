// Runs engine jobs in this process and carries their events (from engine threads) onto the event
// loop, to the job service or, on an agent, to what reports them to the controller.
#pragma once
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <map>
#include <memory>

#include "jobs/workers.h"

namespace tseeder::jobs {

class JobRunner final : public Workers {
 public:
  // Work dirs are `downloads_dir`/{jobId}; at most `max_active` jobs download at once.
  JobRunner(boost::asio::io_context& io, std::string downloads_dir, std::size_t max_active);
  ~JobRunner() override;
  // Throws Error(io) when the work dir cannot be made.
  void start(const Job& job, plugin::Engine& engine, const plugin::JobSettings& settings, EngineSink& events) override;
  void configure(const JobId& job, const plugin::JobSettings& settings) override;
  void stop(const JobId& job) override;
  bool running(const JobId& job) const override { return running_.count(job) > 0; }
  std::size_t active() const override;
  std::size_t capacity() const override { return max_active_; }
  std::optional<std::string> unable(const std::string&) const override { return std::nullopt; }
  void downloaded(const JobId& job, bool seeding) override;
  bool remote(const JobId&) const override { return false; }
  std::optional<std::string> details(const JobId& job) const override;
  bool reannounce(const JobId& job) override;
  void stop_all();
  std::string work_dir(const JobId& job) const { return downloads_dir_ + "/" + job.value; }

 private:
  class Events;
  struct Running {
    std::uint64_t generation;
    std::unique_ptr<plugin::EngineJob> engine_job;
    Job job;
    plugin::Engine* engine;
    plugin::JobSettings settings;
    EngineSink* events;
    bool seeding;  // completed and stored; the engine only uploads now
  };
  // Events of a run that has since been stopped are dropped.
  bool current(const JobId& job, std::uint64_t generation) const;

  boost::asio::io_context& io_;
  std::string downloads_dir_;
  std::size_t max_active_;
  std::uint64_t next_generation_ = 1;
  std::map<JobId, Running> running_;
};

}  // namespace tseeder::jobs
