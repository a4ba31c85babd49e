// One libtorrent session for all jobs, with the thread that turns its alerts into job sink calls.
#pragma once
#include <atomic>
#include <condition_variable>
#include <libtorrent/session.hpp>
#include <libtorrent/torrent_handle.hpp>
#include <libtorrent/torrent_info.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "tseeder/plugin.h"

namespace tseeder::engine_libtorrent {

struct SessionSettings {
  std::string listen_interfaces = "0.0.0.0:6881,[::]:6881";
  bool dht = true, lsd = true, upnp = false, natpmp = false, utp = false;
  bool allow_multiple_connections_per_ip = false;
  int progress_interval_ms = 1000;
  int resume_save_interval_s = 10;
};

// One torrent of one job. Sink calls happen under `m` and never after `stopped` is set.
struct TorrentJob {
  lt::torrent_handle handle;
  lt::sha1_hash key;
  std::shared_ptr<const lt::torrent_info> ti;  // kept once known, for the file list after removal
  tseeder_job_sink sink{};
  std::string work_dir;
  std::mutex m;
  std::condition_variable cv;
  bool stopped = false;
  bool metadata_sent = false;
  bool finishing = false;  // removal requested because all wanted bytes are here
  bool removed = false;    // libtorrent no longer has the torrent
  bool resume_pending = false;
  bool resume_saved = false;  // the last save request ended in a written file
};

class TorrentSession {
 public:
  explicit TorrentSession(const SessionSettings& settings);
  ~TorrentSession();
  // Adds the job's torrent; throws std::runtime_error with a reason.
  TorrentJob* start(const std::string& source, const std::string& work_dir, const tseeder_job_sink& sink);
  // Saves resume data, removes the torrent (keeping files) and forgets the job.
  void stop(TorrentJob* job);

 private:
  void alert_loop();
  void handle_alerts();
  std::shared_ptr<TorrentJob> find(const lt::sha1_hash& key);
  void on_status(TorrentJob& job, const lt::torrent_status& st);
  void send_files(TorrentJob& job, bool completed);
  void save_resume_all();

  SessionSettings settings_;
  lt::session session_;
  std::mutex jobs_m_;
  std::map<lt::sha1_hash, std::shared_ptr<TorrentJob>> jobs_;
  std::atomic<bool> quit_{false};
  std::thread alerts_;
};

inline constexpr const char* kResumeFile = ".tseeder-resume";
// Written after a stop whose resume data was saved; without it the resume data may be older
// than the files (the daemon was killed), so libtorrent re-verifies what is on disk instead.
inline constexpr const char* kCleanStopFile = ".tseeder-clean-stop";

}  // namespace tseeder::engine_libtorrent
