// The seams of the job lifecycle with what runs jobs: Workers run engines (this process's
// JobRunner, or a fleet's agents), and engine events come back through an EngineSink.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "model/job.h"
#include "plugin/engine.h"

namespace tseeder::jobs {

struct ScanOutcome;
struct StoreOutcome;

// Where engine events go: the job lifecycle, or an agent that reports them to its controller.
class EngineSink {
 public:
  virtual ~EngineSink() = default;
  virtual void on_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                           const std::vector<plugin::EngineFile>& files) = 0;
  virtual void on_progress(const JobId& id, const plugin::EngineProgress& p) = 0;
  // `seeding`: the engine keeps the work dir to seed from; files are stored as copies.
  virtual void on_completed(const JobId& id, const std::vector<plugin::EngineFile>& files, bool seeding) = 0;
  virtual void on_seeding_done(const JobId& id, std::uint64_t uploaded, std::uint64_t seconds) = 0;
  virtual void on_failed(const JobId& id, const std::string& reason, bool retryable) = 0;
  // The content's identities learnt with its metadata, and whether it is a private torrent
  // (nullopt: the engine did not say).
  virtual void on_content_ids(const JobId& id, const std::vector<std::string>& ids, std::optional<bool> is_private) = 0;
  // Something the user should know that does not end the job (a tracker error, no peers).
  virtual void on_notice(const JobId& id, const std::string& kind, const std::string& message) = 0;
  // An error escaped the handling of one of the job's events: the job ends with it, never the
  // process. Reports it and never throws.
  virtual void on_internal_error(const JobId& id, const std::string& what) noexcept = 0;
};

// Whoever runs engines: this process (JobRunner) or the agents of a fleet (fleet::Controller).
class Workers {
 public:
  virtual ~Workers() = default;
  // Starts the job's engine; its events go to `events`.
  virtual void start(const Job& job, plugin::Engine& engine, const plugin::JobSettings& settings,
                     EngineSink& events) = 0;
  // Applies new settings to a running job (restarting it when the engine cannot change them live).
  virtual void configure(const JobId& job, const plugin::JobSettings& settings) = 0;
  virtual void stop(const JobId& job) = 0;  // no-op when not running
  virtual bool running(const JobId& job) const = 0;
  virtual std::size_t active() const = 0;    // downloading, not seeding
  virtual std::size_t capacity() const = 0;  // how many may download at once
  // Why no worker can take a job of `engine` now (it then waits in the queue), or nullopt.
  virtual std::optional<std::string> unable(const std::string& engine) const = 0;
  // The download finished: its slot is free; a seeding engine keeps uploading to peers.
  virtual void downloaded(const JobId& job, bool seeding) = 0;
  // True for a job on another machine: it scans and stores its download itself, and it goes on
  // while this daemon restarts.
  virtual bool remote(const JobId& job) const = 0;
  // The engine's live details of a running job (JSON text), nullopt when there are none here.
  virtual std::optional<std::string> details(const JobId& job) const = 0;
  // Announces a running job to its trackers now; false when it is not running here or cannot.
  virtual bool reannounce(const JobId& job) = 0;
};

// What a fleet controller hands the lifecycle from its agents: their engine events, the scans
// and uploads they ran, and jobs that must go back to the queue (an agent went away).
class RemoteEvents : public EngineSink {
 public:
  virtual void on_scanned(const JobId& id, const ScanOutcome& outcome) = 0;
  virtual void on_stored(const JobId& id, const StoreOutcome& outcome) = 0;
  // A run lost with its worker: back to the queue at once, no attempt counted.
  virtual void requeue(const JobId& id, const std::string& why) = 0;
  // Runs `work` for job `id`; an error escaping it goes to on_internal_error.
  virtual void guarded(const JobId& id, const std::function<void()>& work) noexcept = 0;
};

}  // namespace tseeder::jobs
