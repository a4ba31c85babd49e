// One job on Seedr, on its own thread: add the torrent to the account, follow the remote transfer,
// list the finished folder, pull the wanted files into the work dir, delete the remote copy, and
// report each step through the job's sink. Resumes from what the work dir holds.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "file_pull.h"
#include "remote_files.h"
#include "seedr_account.h"
#include "tseeder/plugin.h"

namespace tseeder::engine_seedr {

struct RemoteJobSettings {
  long poll_interval_ms = 5000;
  long stall_timeout_s = 3600;  // a transfer whose progress does not move for this long fails (retryable)
  bool delete_after_pull = true;
  long progress_interval_ms = 1000;
  long auth_retry_ms = 60'000;  // while the account's credentials fail, jobs look again this often
  AccountSettings retry;        // attempts and backoff of file pulls, as for API calls
  PullSettings pull;
  UserFetch user_fetch;  // a .torrent URL the user gave
};

// What the host chose for the files and speed (tseeder_job_spec), as this engine applies it.
struct Selection {
  bool held = false;
  std::vector<std::uint8_t> priorities;
  std::uint8_t default_priority = TSEEDER_PRIORITY_NORMAL;
  std::uint64_t limit_bps = 0;
  bool wanted(std::size_t i) const {
    return (i < priorities.size() ? priorities[i] : default_priority) != TSEEDER_PRIORITY_SKIP;
  }
};

class RemoteJob {
 public:
  RemoteJob(Account& account, const RemoteJobSettings& settings, std::string source, std::string work_dir,
            const tseeder_job_sink& sink, Selection selection);
  ~RemoteJob();  // stops and joins
  void stop();
  void select(Selection selection);  // from any thread

 private:
  void run();
  void steps();
  void add(RemoteState& state);
  std::string fetch_torrent_url();
  void follow(RemoteState& state);
  void pull(const RemoteState& state, const std::vector<RemoteFile>& files);
  void pull_file(const RemoteFile& f, std::uint64_t& done, std::uint64_t total);
  void wait_released();
  Selection selection();
  void notice(const char* kind, const std::string& message);
  void emit(std::uint64_t done, std::uint64_t total, std::uint64_t bps, std::uint32_t peers, std::uint32_t seeds);

  Account& account_;
  const RemoteJobSettings settings_;
  const std::string source_, work_dir_;
  const tseeder_job_sink sink_;
  Stopper stop_;
  std::mutex mu_;
  Selection selection_;
  std::string last_notice_;
  std::thread thread_;
};

// The job failed in a way the sink is told about.
struct JobFailure {
  std::string reason;
  bool retryable;
};

}  // namespace tseeder::engine_seedr
