#include "torrent_session.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/posix_disk_io.hpp>
#include <libtorrent/read_resume_data.hpp>
#include <libtorrent/session_params.hpp>
#include <libtorrent/write_resume_data.hpp>
#include <stdexcept>
#include <vector>

#include "torrent_source.h"

namespace tseeder::engine_libtorrent {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStopWait = std::chrono::seconds(5);

lt::session_params make_params(const SessionSettings& s) {
  lt::settings_pack p;
  p.set_str(lt::settings_pack::listen_interfaces, s.listen_interfaces);
  p.set_bool(lt::settings_pack::enable_dht, s.dht);
  p.set_bool(lt::settings_pack::enable_lsd, s.lsd);
  p.set_bool(lt::settings_pack::enable_upnp, s.upnp);
  p.set_bool(lt::settings_pack::enable_natpmp, s.natpmp);
  p.set_bool(lt::settings_pack::enable_outgoing_utp, s.utp);
  p.set_bool(lt::settings_pack::enable_incoming_utp, s.utp);
  p.set_bool(lt::settings_pack::allow_multiple_connections_per_ip, s.allow_multiple_connections_per_ip);
  p.set_int(lt::settings_pack::alert_mask,
            lt::alert_category::error | lt::alert_category::status | lt::alert_category::storage);
  // Measured on loopback: TCP with more disk and hashing threads and a deeper disk queue is
  // what lets one 2-core machine move ~200 MB/s; the defaults crawl.
  p.set_int(lt::settings_pack::aio_threads, 4);
  p.set_int(lt::settings_pack::hashing_threads, 2);
  p.set_int(lt::settings_pack::max_queued_disk_bytes, 32 * 1024 * 1024);
  p.set_int(lt::settings_pack::stop_tracker_timeout, 1);
  p.set_str(lt::settings_pack::user_agent, "tseeder/" TSEEDER_ENGINE_VERSION);
  lt::session_params params(std::move(p));
  // pread/pwrite instead of memory-mapped files: bounded memory whatever the torrent size.
  params.disk_io_constructor = lt::posix_disk_io_constructor;
  return params;
}

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

}  // namespace

TorrentSession::TorrentSession(const SessionSettings& settings) : settings_(settings), session_(make_params(settings)) {
  alerts_ = std::thread([this] { alert_loop(); });
}

TorrentSession::~TorrentSession() {
  quit_ = true;
  if (alerts_.joinable()) alerts_.join();
}

TorrentJob* TorrentSession::start(const std::string& source, const std::string& work_dir,
                                  const tseeder_job_sink& sink) {
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

  auto job = std::make_shared<TorrentJob>();
  job->key = (atp.ti ? atp.ti->info_hashes() : atp.info_hashes).get_best();
  job->sink = sink;
  job->work_dir = work_dir;
  job->ti = atp.ti;
  {
    std::lock_guard<std::mutex> lock(jobs_m_);
    if (jobs_.count(job->key)) throw std::runtime_error("this torrent is already running in this engine");
    jobs_[job->key] = job;
  }
  lt::torrent_handle h = session_.add_torrent(std::move(atp), ec);
  if (ec) {
    std::lock_guard<std::mutex> lock(jobs_m_);
    jobs_.erase(job->key);
    throw std::runtime_error("libtorrent refused the torrent: " + ec.message());
  }
  {
    std::lock_guard<std::mutex> lock(job->m);
    job->handle = h;
  }
  return job.get();
}

void TorrentSession::stop(TorrentJob* raw) {
  std::shared_ptr<TorrentJob> job = find(raw->key);
  if (!job) return;
  {
    std::unique_lock<std::mutex> lock(job->m);
    job->stopped = true;
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
  std::lock_guard<std::mutex> lock(jobs_m_);
  jobs_.erase(job->key);
}

std::shared_ptr<TorrentJob> TorrentSession::find(const lt::sha1_hash& key) {
  std::lock_guard<std::mutex> lock(jobs_m_);
  auto it = jobs_.find(key);
  return it == jobs_.end() ? nullptr : it->second;
}

void TorrentSession::alert_loop() {
  auto next_update = Clock::now();
  auto next_resume = Clock::now() + std::chrono::seconds(settings_.resume_save_interval_s);
  while (!quit_) {
    session_.wait_for_alert(std::chrono::milliseconds(100));
    handle_alerts();
    auto now = Clock::now();
    if (now >= next_update) {
      session_.post_torrent_updates();
      next_update = now + std::chrono::milliseconds(settings_.progress_interval_ms);
    }
    if (now >= next_resume) {
      save_resume_all();
      next_resume = now + std::chrono::seconds(settings_.resume_save_interval_s);
    }
  }
}

void TorrentSession::handle_alerts() {
  std::vector<lt::alert*> alerts;
  session_.pop_alerts(&alerts);
  for (lt::alert* a : alerts) {
    if (auto* su = lt::alert_cast<lt::state_update_alert>(a)) {
      for (const auto& st : su->status)
        if (auto job = find(st.info_hashes.get_best())) on_status(*job, st);
    } else if (auto* rd = lt::alert_cast<lt::save_resume_data_alert>(a)) {
      if (auto job = find(rd->params.info_hashes.get_best())) {
        write_file_atomically(job->work_dir + "/" + kResumeFile, lt::write_resume_data_buf(rd->params));
        std::lock_guard<std::mutex> lock(job->m);
        job->resume_saved = true;
        job->resume_pending = false;
        job->cv.notify_all();
      }
    } else if (auto* rf = lt::alert_cast<lt::save_resume_data_failed_alert>(a)) {
      if (auto job = find(rf->handle.info_hashes().get_best())) {
        std::lock_guard<std::mutex> lock(job->m);
        job->resume_pending = false;
        job->cv.notify_all();
      }
    } else if (auto* rm = lt::alert_cast<lt::torrent_removed_alert>(a)) {
      if (auto job = find(rm->info_hashes.get_best())) {
        std::lock_guard<std::mutex> lock(job->m);
        job->removed = true;
        job->cv.notify_all();
        if (!job->stopped && job->finishing) send_files(*job, true);
      }
    } else if (auto* te = lt::alert_cast<lt::torrent_error_alert>(a)) {
      if (auto job = find(te->handle.info_hashes().get_best())) {
        std::lock_guard<std::mutex> lock(job->m);
        std::string reason = "torrent error: " + te->error.message();
        if (!job->stopped) job->sink.failed(job->sink.ctx, reason.c_str(), 0);
      }
    } else if (auto* fe = lt::alert_cast<lt::file_error_alert>(a)) {
      if (auto job = find(fe->handle.info_hashes().get_best())) {
        std::lock_guard<std::mutex> lock(job->m);
        std::string reason = std::string("file error: ") + fe->error.message() + " (" + fe->filename() + ")";
        if (!job->stopped) job->sink.failed(job->sink.ctx, reason.c_str(), 0);
      }
    } else if (lt::alert_cast<lt::metadata_received_alert>(a) || lt::alert_cast<lt::torrent_finished_alert>(a)) {
      session_.post_torrent_updates();  // act now rather than at the next tick
    }
  }
}

void TorrentSession::on_status(TorrentJob& job, const lt::torrent_status& st) {
  std::lock_guard<std::mutex> lock(job.m);
  if (job.stopped || job.finishing) return;
  if (st.has_metadata && !job.metadata_sent) {
    if (!job.ti) job.ti = st.torrent_file.lock();
    if (!job.ti) job.ti = st.handle.torrent_file();
    if (job.ti) {
      send_files(job, false);
      job.metadata_sent = true;
    }
  }
  if (!job.metadata_sent) return;
  tseeder_progress p{sizeof(tseeder_progress)};
  p.bytes_done = static_cast<uint64_t>(st.total_wanted_done);
  p.bytes_total = static_cast<uint64_t>(st.total_wanted);
  p.download_bps = static_cast<uint64_t>(st.download_payload_rate);
  p.upload_bps = static_cast<uint64_t>(st.upload_payload_rate);
  p.peers = static_cast<uint32_t>(st.num_peers);
  p.seeds = static_cast<uint32_t>(st.num_seeds);
  p.eta_s = st.download_payload_rate > 0
                ? static_cast<int64_t>((st.total_wanted - st.total_wanted_done) / st.download_payload_rate)
                : (st.total_wanted == st.total_wanted_done ? 0 : -1);
  job.sink.progress(job.sink.ctx, &p);
  if (st.is_finished || st.is_seeding) {
    // Default policy: stop seeding once everything is here; removal closes the files, and the
    // removed alert reports completion.
    job.finishing = true;
    session_.remove_torrent(st.handle);
  }
}

void TorrentSession::send_files(TorrentJob& job, bool completed) {
  const auto& fs = job.ti->files();
  std::vector<std::string> paths;
  std::vector<tseeder_file_entry> entries;
  paths.reserve(static_cast<std::size_t>(fs.num_files()));  // entries keep pointers into paths
  for (auto i : fs.file_range()) {
    if (fs.pad_file_at(i)) continue;
    paths.push_back(fs.file_path(i));
    entries.push_back({sizeof(tseeder_file_entry), paths.back().c_str(), static_cast<uint64_t>(fs.file_size(i))});
  }
  if (completed) {
    job.sink.completed(job.sink.ctx, entries.data(), entries.size());
  } else {
    const std::string name = job.ti->name();
    job.sink.metadata_ready(job.sink.ctx, name.c_str(), static_cast<uint64_t>(fs.total_size()), entries.data(),
                            entries.size());
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
