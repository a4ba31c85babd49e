// C++ face of an engine plugin: trampolines turn C callbacks into EngineEvents calls.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/transfer_progress.h"
#include "tseeder/plugin.h"

namespace tseeder::plugin {

struct EngineFile {
  std::string path;  // relative to the job's work dir, as the engine reported it (untrusted)
  std::uint64_t size_bytes = 0;
};

using EngineProgress = TransferProgress;

// Called from engine threads: implementations must hand work over to their own thread.
class EngineEvents {
 public:
  virtual ~EngineEvents() = default;
  virtual void on_metadata(std::string name, std::optional<std::uint64_t> total, std::vector<EngineFile> files) = 0;
  virtual void on_progress(EngineProgress p) = 0;
  virtual void on_completed(std::vector<EngineFile> files) = 0;
  virtual void on_failed(std::string reason, bool retryable) = 0;
};

// One running job; stopping (or destroying) it guarantees no more events.
class EngineJob {
 public:
  EngineJob(const tseeder_engine_api& api, void* handle, std::unique_ptr<tseeder_job_sink> sink,
            std::shared_ptr<EngineEvents> events);
  ~EngineJob();
  EngineJob(const EngineJob&) = delete;
  EngineJob& operator=(const EngineJob&) = delete;
  void stop();

 private:
  const tseeder_engine_api& api_;
  void* handle_;
  std::unique_ptr<tseeder_job_sink> sink_;
  std::shared_ptr<EngineEvents> events_;
};

struct SourceInfo {
  std::string infohash;  // empty when the engine has none for this source
  std::string name;
  std::optional<std::uint64_t> total_bytes;
};

class Engine {
 public:
  Engine(std::string name, const tseeder_engine_api& api, void* self);
  const std::string& name() const { return name_; }
  bool accepts(const std::string& source, std::string& why) const;
  // What the engine can tell before downloading; nullopt when it has no inspect (ABI 1.0).
  // Throws Error(Errc::invalid_argument) with the engine's reason for an unusable source.
  std::optional<SourceInfo> inspect(const std::string& source) const;
  // Throws Error(Errc::plugin) with the engine's message when it cannot start.
  std::unique_ptr<EngineJob> start(const std::string& job_id, const std::string& source, const std::string& work_dir,
                                   std::shared_ptr<EngineEvents> events);

 private:
  std::string name_;
  tseeder_engine_api api_;
  void* self_;
};

}  // namespace tseeder::plugin
