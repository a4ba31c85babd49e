// The agent's side of a fleet: it joins its controller once (join token → its own credential in
// DATA_DIR/secrets/agent.json, 0600), then only ever calls it: a heartbeat every 10 s with its
// capabilities and the jobs it holds, a poll for work each second, and its events in numbered
// batches. It runs engines, scans and uploads to the shared storage exactly as a single node
// does, and tells the controller what happened; the controller decides what it means.
#pragma once
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.h"
#include "fleet/wire_messages.h"
#include "jobs/job_runner.h"
#include "jobs/pipeline.h"
#include "plugin/plugin_host.h"
#include "storage/storage_backend.h"

namespace tseeder::fleet {

inline constexpr std::int64_t kHeartbeatMs = 10'000;

struct AgentCredential {
  std::string agent_id;
  std::string secret;
};

class Agent final : public jobs::EngineSink {
 public:
  // How the agent reports trouble with its controller (error) and recovery.
  using Log = std::function<void(bool error, const std::string& message)>;
  Agent(boost::asio::io_context& io, const config::Config& cfg, plugin::PluginHost& plugins,
        storage::StorageBackend& storage, jobs::Pipeline& pipeline, Log log);
  ~Agent() override;
  // Registers with fleet.join_token unless a credential is kept already; throws Error when the
  // controller refuses or cannot be reached for the registration.
  AgentCredential join();
  // Starts calling the controller (on a thread of its own; commands run on the loop).
  void start();
  // Stops calling and stops every run; their jobs are the controller's to hand out again.
  void stop();

  // ---- jobs::EngineSink (on the loop) ----
  void on_metadata(const JobId& id, const std::string& name, std::optional<std::uint64_t> total,
                   const std::vector<plugin::EngineFile>& files) override;
  void on_progress(const JobId& id, const plugin::EngineProgress& p) override;
  void on_completed(const JobId& id, const std::vector<plugin::EngineFile>& files, bool seeding) override;
  void on_seeding_done(const JobId& id, std::uint64_t uploaded, std::uint64_t seconds) override;
  void on_failed(const JobId& id, const std::string& reason, bool retryable) override;
  void on_content_ids(const JobId& id, const std::vector<std::string>& ids, std::optional<bool> is_private) override;
  void on_notice(const JobId& id, const std::string& kind, const std::string& message) override;
  // The run fails (not retryable: the same step would fail the same way) and the agent goes on.
  void on_internal_error(const JobId& id, const std::string& what) noexcept override;

 private:
  struct Run {
    Assignment assignment;
    std::optional<std::string> name;  // from the engine's metadata
    bool finishing = false;           // downloaded: being scanned and stored
    std::vector<jobs::FinishedFile> files;
    bool stored = false;
  };
  Json capabilities();
  Json heartbeat_body();
  void wire_loop(std::stop_token stop);
  void run_command(const Json& command);
  void assign(const Assignment& a);
  void drop(const JobId& id);  // stops the run and removes its files
  void update_listing();       // after runs_ changed
  // Queues an event of the job's current run for the controller.
  void emit(const JobId& id, const std::string& type, Json data);
  void scan(const JobId& id);
  void upload(const JobId& id, const std::string& scan_status);
  // A stored run whose engine stopped (no seeding) is over: its files go, the controller hears.
  void end_if_done(const JobId& id);
  std::string work_dir(const JobId& id) const { return runner_.work_dir(id); }
  std::string torrent_path(const JobId& id) const { return cfg_.data_dir + "/torrents/" + id.value + ".torrent"; }

  boost::asio::io_context& io_;
  const config::Config& cfg_;
  plugin::PluginHost& plugins_;
  storage::StorageBackend& storage_;
  jobs::Pipeline& pipeline_;
  Log log_;
  jobs::JobRunner runner_;
  std::string boot_id_;
  std::int64_t score_ = 1;
  AgentCredential cred_;
  std::map<JobId, Run> runs_;    // loop only
  bool told_unscanned_ = false;  // loop only: the operator hears once that scanning is on without a scanner

  std::mutex mu_;  // guards what the wire thread shares with the loop
  std::condition_variable_any wake_;
  std::deque<WireEvent> outbox_;
  bool urgent_ = false;  // an event other than progress waits: send without waiting for the poll
  std::int64_t next_seq_ = 1;
  Json listing_ = Json::array();  // the runs as the heartbeat reports them
  std::int64_t active_ = 0;
  std::jthread wire_;
};

}  // namespace tseeder::fleet
