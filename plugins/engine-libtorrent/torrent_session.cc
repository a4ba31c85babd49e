#include "torrent_session.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <libtorrent/extensions/smart_ban.hpp>
#include <libtorrent/extensions/ut_metadata.hpp>
#include <libtorrent/extensions/ut_pex.hpp>
#include <libtorrent/read_resume_data.hpp>
#include <stdexcept>
#include <vector>

#include "core/thread_name.h"
#include "file_names.h"
#include "plugin_support.h"
#include "session_params.h"
#include "torrent_source.h"

namespace tseeder::engine_libtorrent {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStopWait = std::chrono::seconds(5);

int clamp_rate(std::uint64_t bps) {
  return bps > static_cast<std::uint64_t>(INT_MAX) ? INT_MAX : static_cast<int>(bps);
}

}  // namespace

bool read_file(const std::string& path, std::vector<char>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

void write_file_atomically(const std::string& path, const std::vector<char>& data) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;  // the work dir may be gone (job cancelled): nothing worth keeping
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out.flush()) return;
  }
  std::rename(tmp.c_str(), path.c_str());
}

JobPrefs JobPrefs::from_spec(const tseeder_job_spec& spec) {
  JobPrefs p;
  if (!plugin_support::has_field(spec, &tseeder_job_spec::default_file_priority)) return p;
  p.sequential = (spec.flags & TSEEDER_JOB_SEQUENTIAL) != 0;
  p.download_limit_bps = spec.download_limit_bps;
  p.upload_limit_bps = spec.upload_limit_bps;
  if (spec.file_priorities) p.priorities.assign(spec.file_priorities, spec.file_priorities + spec.file_priority_count);
  p.default_priority = spec.default_file_priority;
  p.hold = (spec.flags & TSEEDER_JOB_HOLD_AFTER_METADATA) != 0;
  return p;
}

std::vector<lt::file_index_t> host_files(const lt::torrent_info& ti) {
  std::vector<lt::file_index_t> out;
  const auto& fs = ti.files();
  for (auto i : fs.file_range())
    if (!fs.pad_file_at(i)) out.push_back(i);
  return out;
}

std::vector<lt::download_priority_t> TorrentSession::file_priorities(const TorrentJob& job) {
  const auto& fs = job.ti->files();
  std::vector<lt::download_priority_t> out(static_cast<std::size_t>(fs.num_files()), lt::dont_download);
  const auto files = host_files(*job.ti);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto prio = i < job.prefs.priorities.size() ? job.prefs.priorities[i] : job.prefs.default_priority;
    out[static_cast<std::size_t>(static_cast<int>(files[i]))] =
        lt::download_priority_t{std::min<std::uint8_t>(prio, 7)};
  }
  return out;
}

void TorrentSession::apply_limits(TorrentJob& job) {
  job.limited = job.prefs.download_limit_bps || job.prefs.upload_limit_bps;
  job.handle.set_download_limit(job.prefs.download_limit_bps ? clamp_rate(job.prefs.download_limit_bps) : -1);
  job.handle.set_upload_limit(job.prefs.upload_limit_bps ? clamp_rate(job.prefs.upload_limit_bps) : -1);
  if (job.prefs.sequential)
    job.handle.set_flags(lt::torrent_flags::sequential_download);
  else
    job.handle.unset_flags(lt::torrent_flags::sequential_download);
}

TorrentSession::TorrentSession(const SessionSettings& settings) : settings_(settings), session_(make_params(settings)) {
  session_.add_extension(&lt::create_ut_metadata_plugin);
  session_.add_extension(&lt::create_smart_ban_plugin);
  if (settings_.pex) session_.add_extension(&lt::create_ut_pex_plugin);
  // libtorrent exempts LAN and loopback peers from the global rate limits; a seedbox's limits
  // are meant for every peer, so every address goes in the global peer class.
  lt::ip_filter classes;
  classes.add_rule(lt::make_address("0.0.0.0"), lt::make_address("255.255.255.255"),
                   1u << static_cast<std::uint32_t>(lt::session::global_peer_class_id));
  classes.add_rule(lt::make_address("::"), lt::make_address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
                   1u << static_cast<std::uint32_t>(lt::session::global_peer_class_id));
  session_.set_peer_class_filter(classes);
  if (!settings_.allow_private_addresses) session_.set_ip_filter(guard_filter());
  tick_ms_ = session_.get_settings().get_int(lt::settings_pack::tick_interval);
  idle_tick_ms_ = lt::default_settings().get_int(lt::settings_pack::tick_interval);
  alerts_ = std::thread([this] { alert_loop(); });
}

TorrentSession::~TorrentSession() {
  quit_ = true;
  session_.post_session_stats();  // an alert of any kind ends the alert loop's wait now
  if (alerts_.joinable()) alerts_.join();
}

TorrentJob* TorrentSession::start(const std::string& source, const std::string& work_dir, const tseeder_job_sink& sink,
                                  const JobPrefs& prefs) {
  lt::add_torrent_params from_source = parse_source(source);
  lt::add_torrent_params atp;
  std::vector<char> resume;
  lt::error_code ec;
  const std::string clean_marker = work_dir + "/" + kCleanStopFile;
  const bool clean_stop = std::remove(clean_marker.c_str()) == 0;
  if (read_file(work_dir + "/" + kResumeFile, resume)) atp = lt::read_resume_data(resume, ec);
  if (resume.empty() || ec) {
    atp = from_source;
  } else if (!clean_stop) {
    // Killed since the last save: keep only the metadata and let libtorrent check the files,
    // which keeps every piece that made it to disk.
    auto ti = atp.ti;
    atp = from_source;
    if (!atp.ti) atp.ti = ti;
  } else {
    // Resume data knows the pieces; the source may still name peers to dial.
    atp.peers.insert(atp.peers.end(), from_source.peers.begin(), from_source.peers.end());
    if (!atp.ti && from_source.ti) atp.ti = from_source.ti;
  }
  atp.save_path = work_dir;
  // tseederd queues jobs itself; libtorrent must not pause or queue them on its own.
  atp.flags &= ~lt::torrent_flags::auto_managed;
  atp.flags &= ~lt::torrent_flags::paused;
  // Held for the host's approval: upload mode fetches the metadata and no piece. Resume data
  // saved while held must not keep it. With the metadata at hand there is nothing to fetch, so
  // the torrent waits paused: a seed it met while in upload mode would drop it ("upload to
  // upload"), and the redial waited for libtorrent's next tick, up to half a second.
  atp.flags &= ~lt::torrent_flags::upload_mode;
  if (prefs.hold) atp.flags |= atp.ti ? lt::torrent_flags::paused : lt::torrent_flags::upload_mode;

  auto job = std::make_shared<TorrentJob>();
  job->key = (atp.ti ? atp.ti->info_hashes() : atp.info_hashes).get_best();
  job->sink = sink;
  job->work_dir = work_dir;
  job->ti = atp.ti;
  job->prefs = prefs;
  job->limited = prefs.download_limit_bps || prefs.upload_limit_bps;
  if (job->ti) {
    job->names = stored_names(*job->ti);
    atp.renamed_files.clear();
    for (auto& [index, name] : renames(*job->ti, job->names)) atp.renamed_files[index] = name;
  } else {
    // A magnet: nothing is fetched until the metadata came and the files were given their names.
    atp.flags |= lt::torrent_flags::upload_mode;
  }
  if (prefs.sequential) atp.flags |= lt::torrent_flags::sequential_download;
  atp.download_limit = prefs.download_limit_bps ? clamp_rate(prefs.download_limit_bps) : -1;
  atp.upload_limit = prefs.upload_limit_bps ? clamp_rate(prefs.upload_limit_bps) : -1;
  atp.max_connections = settings_.peers_per_torrent;
  // With the file list known the priorities apply from the first piece; for a magnet the
  // listed ones apply when the metadata arrives and the rest right after (metadata alert).
  atp.file_priorities.clear();
  if (job->ti) {
    atp.file_priorities = file_priorities(*job);
  } else {
    for (auto p : prefs.priorities)
      atp.file_priorities.push_back(lt::download_priority_t{std::min<std::uint8_t>(p, 7)});
  }
  {
    std::lock_guard<std::mutex> lock(jobs_m_);
    if (jobs_.count(job->key)) throw std::runtime_error("this torrent is already running in this engine");
    jobs_[job->key] = job;
  }
  // Added on libtorrent's own thread: the caller (the host's event loop) does not wait while
  // that thread writes and hashes other torrents' pieces. The handle comes with add_torrent_alert.
  session_.async_add_torrent(std::move(atp));
  refresh_tick();
  return job.get();
}

void TorrentSession::configure(TorrentJob* raw, const JobPrefs& prefs) {
  std::shared_ptr<TorrentJob> job = find(raw->key);
  if (!job) return;
  {
    std::lock_guard<std::mutex> lock(job->m);
    job->prefs = prefs;
    job->prefs_pending = !job->added;  // applied when the add's answer comes
    if (job->stopped || job->finishing || job->removed || !job->handle.is_valid()) return;
    apply_limits(*job);
    if (job->ti) job->handle.prioritize_files(file_priorities(*job));
    if (!prefs.hold) release_hold(job->handle);
  }
  refresh_tick();
}

void TorrentSession::refresh_tick() {
  std::lock_guard<std::mutex> lock(jobs_m_);
  const bool limited = settings_.download_rate_limit || settings_.upload_rate_limit ||
                       std::any_of(jobs_.begin(), jobs_.end(), [](const auto& j) { return j.second->limited.load(); });
  const int want = limited ? kLimitedTickMs : idle_tick_ms_;
  if (want == tick_ms_) return;
  lt::settings_pack p;
  p.set_int(lt::settings_pack::tick_interval, want);
  session_.apply_settings(std::move(p));
  tick_ms_ = want;
}

void TorrentSession::stop(TorrentJob* raw) {
  std::shared_ptr<TorrentJob> job = find(raw->key);
  if (!job) return;
  {
    std::unique_lock<std::mutex> lock(job->m);
    job->stopped = true;
    job->cv.wait_for(lock, kStopWait, [&] { return job->added; });
    if (!job->removed && job->handle.is_valid()) {
      if (!job->finishing) {
        job->resume_pending = true;
        job->resume_saved = false;
        job->handle.save_resume_data(lt::torrent_handle::flush_disk_cache | lt::torrent_handle::save_info_dict);
        job->cv.wait_for(lock, kStopWait, [&] { return !job->resume_pending; });
        if (job->resume_saved) write_file_atomically(job->work_dir + "/" + kCleanStopFile, {});
      }
      if (!job->finishing) session_.remove_torrent(job->handle);
      job->finishing = true;
      job->cv.wait_for(lock, kStopWait, [&] { return job->removed; });
    }
  }
  {
    std::lock_guard<std::mutex> lock(jobs_m_);
    jobs_.erase(job->key);
  }
  refresh_tick();
}

void release_hold(const lt::torrent_handle& h) {
  h.unset_flags(lt::torrent_flags::upload_mode);
  h.resume();
}

std::shared_ptr<TorrentJob> TorrentSession::find(const lt::sha1_hash& key) {
  std::lock_guard<std::mutex> lock(jobs_m_);
  auto it = jobs_.find(key);
  return it == jobs_.end() ? nullptr : it->second;
}

void TorrentSession::alert_loop() {
  core::name_this_thread("lt-alerts");
  auto next_update = Clock::now();
  auto next_resume = Clock::now() + std::chrono::seconds(settings_.resume_save_interval_s);
  while (!quit_) {
    session_.wait_for_alert(std::chrono::milliseconds(100));
    handle_alerts();
    auto now = Clock::now();
    if (now >= next_update) {
      session_.post_torrent_updates();
      check_seeding();
      check_notices();
      next_update = now + std::chrono::milliseconds(settings_.progress_interval_ms);
    }
    if (now >= next_resume) {
      save_resume_all();
      next_resume = now + std::chrono::seconds(settings_.resume_save_interval_s);
    }
  }
}

void TorrentSession::save_resume_all() {
  std::lock_guard<std::mutex> lock(jobs_m_);
  for (auto& [key, job] : jobs_) {
    std::lock_guard<std::mutex> jl(job->m);
    if (job->stopped || job->finishing || job->removed || !job->metadata_sent || !job->handle.is_valid()) continue;
    job->handle.save_resume_data(lt::torrent_handle::only_if_modified | lt::torrent_handle::save_info_dict);
  }
}

}  // namespace tseeder::engine_libtorrent
