// One libtorrent session for all jobs, with the thread that turns its alerts into job sink calls.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <libtorrent/session.hpp>
#include <libtorrent/torrent_handle.hpp>
#include <libtorrent/torrent_info.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "session_params.h"
#include "torrent_diagnostics.h"
#include "tseeder/plugin.h"

namespace tseeder::engine_libtorrent {

// What the host asked for a job: order, limits and file priorities by the host's file index
// (files as metadata_ready lists them, pad files left out).
struct JobPrefs {
  bool sequential = false;
  std::uint64_t download_limit_bps = 0;
  std::uint64_t upload_limit_bps = 0;
  std::vector<std::uint8_t> priorities;
  std::uint8_t default_priority = 4;
  bool hold = false;  // the host has not approved the metadata yet: fetch nothing
  static JobPrefs from_spec(const tseeder_job_spec& spec);
};

// Indexes of the files the host sees (pad files left out), in libtorrent's numbering.
std::vector<lt::file_index_t> host_files(const lt::torrent_info& ti);

// One torrent of one job. Sink calls happen under `m` and never after `stopped` is set.
struct TorrentJob {
  lt::torrent_handle handle;
  lt::sha1_hash key;
  std::shared_ptr<const lt::torrent_info> ti;  // kept once known, for the file list after removal
  std::vector<std::string> names;              // where each host file lies: its stored name
  tseeder_job_sink sink{};
  std::string work_dir;
  JobPrefs prefs;
  std::mutex m;
  std::condition_variable cv;
  bool stopped = false;
  bool metadata_sent = false;
  bool finishing = false;  // removal requested: all wanted bytes are here, or seeding is over
  bool seeding = false;    // reported complete; uploading until the seeding policy is met
  std::chrono::steady_clock::time_point seeding_since;
  std::int64_t upload_at_finish = 0;
  std::uint64_t seeded_bytes = 0;
  long seeded_seconds = 0;
  bool added = false;          // libtorrent answered the add (handle set, or the job failed)
  bool prefs_pending = false;  // configure() came before that answer
  bool removed = false;        // libtorrent no longer has the torrent
  bool resume_pending = false;
  bool resume_saved = false;         // the last save request ended in a written file
  std::set<std::string> refused;     // addresses the guard refused, each logged once
  NoticeState notices;               // what the owner was told (under m)
  std::atomic<bool> limited{false};  // has a rate limit of its own
};

class TorrentSession {
 public:
  explicit TorrentSession(const SessionSettings& settings);
  ~TorrentSession();
  // Adds the job's torrent; throws std::runtime_error with a reason.
  TorrentJob* start(const std::string& source, const std::string& work_dir, const tseeder_job_sink& sink,
                    const JobPrefs& prefs);
  // Applies new preferences to a running job.
  void configure(TorrentJob* job, const JobPrefs& prefs);
  // Saves resume data, removes the torrent (keeping files) and forgets the job.
  void stop(TorrentJob* job);

 private:
  void alert_loop();
  void handle_alerts();
  void on_added(const lt::add_torrent_alert& at);
  std::shared_ptr<TorrentJob> find(const lt::sha1_hash& key);
  void on_status(TorrentJob& job, const lt::torrent_status& st);
  void send_files(TorrentJob& job, bool completed);
  void send_progress(TorrentJob& job, const lt::torrent_status& st);  // under job.m
  // Full per-file priorities in libtorrent's numbering, from the job's preferences.
  static std::vector<lt::download_priority_t> file_priorities(const TorrentJob& job);
  static void apply_limits(TorrentJob& job);
  // A short tick while any rate limit is in force (see kLimitedTickMs), libtorrent's otherwise.
  void refresh_tick();
  void save_resume_all();
  // Ends the seeding of jobs whose policy is met.
  void check_seeding();
  // Tells owners of torrents stuck since their last status update (no metadata, no peers).
  void check_notices();
  bool host_takes_seeding(const TorrentJob& job) const;
  // Tells the job's owner through the sink (ABI 1.5); call under job.m.
  static Tell tell_for(TorrentJob& job);
  // Logs once per job and address that the address guard refused a connection.
  void note_refused(TorrentJob& job, const std::string& what, const std::string& address);

  SessionSettings settings_;
  lt::session session_;
  std::mutex jobs_m_;
  std::map<lt::sha1_hash, std::shared_ptr<TorrentJob>> jobs_;
  int tick_ms_ = 0;  // the session's tick_interval now (under jobs_m_)
  int idle_tick_ms_ = 0;
  std::atomic<bool> quit_{false};
  std::thread alerts_;
};

// Lets a held torrent fetch pieces: out of upload mode (a magnet) or paused (metadata known).
// tseederd queues jobs itself, so libtorrent's pause means nothing else here.
void release_hold(const lt::torrent_handle& h);

// Resume data and markers in a job's work dir: a file's bytes, and a write that replaces it whole
// or not at all (nothing when the work dir is gone).
bool read_file(const std::string& path, std::vector<char>& out);
void write_file_atomically(const std::string& path, const std::vector<char>& data);

inline constexpr const char* kResumeFile = ".tseeder-resume";
// Written after a stop whose resume data was saved; without it the resume data may be older
// than the files (the daemon was killed), so libtorrent re-verifies what is on disk instead.
inline constexpr const char* kCleanStopFile = ".tseeder-clean-stop";

}  // namespace tseeder::engine_libtorrent
