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
  // The name it is stored under (unique_relative_paths of the whole file list); set by the
  // runner that receives the engine's events, empty where none did (e.g. over the fleet wire).
  std::string name = {};
};

using EngineProgress = TransferProgress;

// What the user chose for a job, as engines receive it (tseeder_job_spec, ABI 1.2).
struct JobSettings {
  bool sequential = false;
  std::uint64_t download_limit_bps = 0;  // 0 = unlimited
  std::uint64_t upload_limit_bps = 0;
  std::vector<std::uint8_t> file_priorities;  // by file index; later files get default_priority
  std::uint8_t default_priority = TSEEDER_PRIORITY_NORMAL;
  // Fetch nothing after the metadata until configured without it (ABI 1.3).
  bool hold_after_metadata = false;
  std::string checksum;  // "sha256:<hex>" and the like (ABI 1.8); empty: none
  bool operator==(const JobSettings&) const = default;
};

// The C view of a job's identity and settings; valid while its sources live.
class JobSpec {
 public:
  JobSpec(const std::string& job_id, const std::string& source, const std::string& work_dir,
          const JobSettings& settings);
  const tseeder_job_spec* get() const { return &spec_; }

 private:
  tseeder_job_spec spec_{};
};

// Called from engine threads: implementations must hand work over to their own thread.
class EngineEvents {
 public:
  virtual ~EngineEvents() = default;
  virtual void on_metadata(std::string name, std::optional<std::uint64_t> total, std::vector<EngineFile> files) = 0;
  virtual void on_progress(EngineProgress p) = 0;
  // `seeding`: the engine keeps serving the files from the work dir until on_seeding_done.
  virtual void on_completed(std::vector<EngineFile> files, bool seeding) = 0;
  virtual void on_seeding_done(std::uint64_t uploaded_bytes, std::uint64_t seconds) = 0;
  virtual void on_failed(std::string reason, bool retryable) = 0;
  // TSEEDER_CONTENT_* flags learnt with the metadata; they come just before on_content_ids.
  virtual void on_content_flags(std::uint32_t flags) = 0;
  // Identities of the content learnt with its metadata (v1 and v2 infohashes of a hybrid).
  virtual void on_content_ids(std::vector<std::string> ids) = 0;
  // Something the user should know that does not end the job (ABI 1.5: tracker errors, no peers).
  virtual void on_notice(std::string kind, std::string message) = 0;
};

// One running job; stopping (or destroying) it guarantees no more events.
class EngineJob {
 public:
  EngineJob(const tseeder_engine_api& api, void* handle, std::unique_ptr<tseeder_job_sink> sink,
            std::shared_ptr<EngineEvents> events, std::string job_id, std::string source, std::string work_dir);
  ~EngineJob();
  EngineJob(const EngineJob&) = delete;
  EngineJob& operator=(const EngineJob&) = delete;
  void stop();
  // Applies new settings to the running job; false when the engine cannot (no configure, or not
  // these settings), in which case the caller restarts the job. Throws Error(Errc::plugin) when the engine refuses.
  bool configure(const JobSettings& settings);
  // The engine's live details of the job as JSON text (ABI 1.5); nullopt when it has none.
  std::optional<std::string> describe() const;
  // Announces to the trackers now; false when the engine cannot.
  bool reannounce();

 private:
  const tseeder_engine_api& api_;
  void* handle_;
  std::unique_ptr<tseeder_job_sink> sink_;
  std::shared_ptr<EngineEvents> events_;
  std::string job_id_, source_, work_dir_;
};

struct SourceInfo {
  std::string infohash;  // empty when the engine has none for this source
  std::string name;
  std::optional<std::uint64_t> total_bytes;
  std::optional<std::uint32_t> file_count;
  bool private_content = false;  // a private torrent (only a .torrent can say so up front)
};

class Engine {
 public:
  Engine(std::string name, const tseeder_engine_api& api, void* self);
  const std::string& name() const { return name_; }
  enum class Verdict { accepted, other_kind, unusable };
  Verdict accepts(const std::string& source, std::string& why) const;
  // Whether running jobs take new settings (else they restart to apply them).
  bool can_configure() const { return api_.configure != nullptr; }
  // What the engine can tell before downloading; nullopt when it has no inspect (ABI 1.0).
  // Throws Error(Errc::invalid_argument) with the engine's reason for an unusable source.
  std::optional<SourceInfo> inspect(const std::string& source) const;
  // The job's work dir is about to go for good: the engine frees what it keeps elsewhere (ABI 1.6).
  void forget(const std::string& job_id, const std::string& work_dir) const;
  // The engine's answer to a provider request ("status", "login_start", "login_poll") as JSON
  // text; nullopt when it has no remote account (ABI 1.6). May block on the network.
  std::optional<std::string> provider(const std::string& request) const;
  // Throws Error(Errc::plugin) with the engine's message when it cannot start.
  std::unique_ptr<EngineJob> start(const std::string& job_id, const std::string& source, const std::string& work_dir,
                                   const JobSettings& settings, std::shared_ptr<EngineEvents> events);

 private:
  std::string name_;
  tseeder_engine_api api_;
  void* self_;
};

}  // namespace tseeder::plugin
