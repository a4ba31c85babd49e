#include "torrent_session.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/extensions/smart_ban.hpp>
#include <libtorrent/extensions/ut_metadata.hpp>
#include <libtorrent/extensions/ut_pex.hpp>
#include <libtorrent/ip_filter.hpp>
#include <libtorrent/posix_disk_io.hpp>
#include <libtorrent/read_resume_data.hpp>
#include <libtorrent/session_params.hpp>
#include <libtorrent/write_resume_data.hpp>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "file_names.h"
#include "net/address_policy.h"
#include "plugin_support.h"
#include "torrent_source.h"

namespace tseeder::engine_libtorrent {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStopWait = std::chrono::seconds(5);

// "socks5://host:port" and friends (checked by the host's config schema) into libtorrent's
// proxy settings, for peers and trackers alike.
void apply_proxy(const SessionSettings& s, lt::settings_pack& p) {
  const auto scheme_end = s.proxy.find("://");
  const std::string scheme = s.proxy.substr(0, scheme_end);
  const std::string hostport = s.proxy.substr(scheme_end + 3);
  const auto colon = hostport.rfind(':');
  std::string host = hostport.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const bool auth = !s.proxy_username.empty();
  int type = lt::settings_pack::socks5;
  if (scheme == "socks5") type = auth ? lt::settings_pack::socks5_pw : lt::settings_pack::socks5;
  if (scheme == "socks4") type = lt::settings_pack::socks4;
  if (scheme == "http") type = auth ? lt::settings_pack::http_pw : lt::settings_pack::http;
  p.set_int(lt::settings_pack::proxy_type, type);
  p.set_str(lt::settings_pack::proxy_hostname, host);
  p.set_int(lt::settings_pack::proxy_port, std::atoi(hostport.substr(colon + 1).c_str()));
  p.set_str(lt::settings_pack::proxy_username, s.proxy_username);
  p.set_str(lt::settings_pack::proxy_password, s.proxy_password);
  p.set_bool(lt::settings_pack::proxy_peer_connections, true);
  p.set_bool(lt::settings_pack::proxy_tracker_connections, true);
  p.set_bool(lt::settings_pack::proxy_hostnames, true);
}

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
  p.set_int(lt::settings_pack::alert_mask, lt::alert_category::error | lt::alert_category::status |
                                               lt::alert_category::storage | lt::alert_category::ip_block);
  // The IP filter (the address guard) applies to trackers too, and libtorrent's own SSRF
  // checks stay on.
  p.set_bool(lt::settings_pack::apply_ip_filter_to_trackers, true);
  p.set_bool(lt::settings_pack::ssrf_mitigation, true);
  // Measured on loopback: TCP with more disk and hashing threads and a deeper disk queue is
  // what lets one 2-core machine move ~200 MB/s; the defaults crawl.
  p.set_int(lt::settings_pack::aio_threads, 4);
  p.set_int(lt::settings_pack::hashing_threads, 2);
  p.set_int(lt::settings_pack::max_queued_disk_bytes, 32 * 1024 * 1024);
  p.set_int(lt::settings_pack::stop_tracker_timeout, 1);
  p.set_str(lt::settings_pack::user_agent, "tseeder/" TSEEDER_ENGINE_VERSION);
  const int enc = s.encryption == "forced"     ? lt::settings_pack::pe_forced
                  : s.encryption == "disabled" ? lt::settings_pack::pe_disabled
                                               : lt::settings_pack::pe_enabled;
  p.set_int(lt::settings_pack::out_enc_policy, enc);
  p.set_int(lt::settings_pack::in_enc_policy, enc);
  p.set_int(lt::settings_pack::allowed_enc_level, lt::settings_pack::pe_both);
  p.set_int(lt::settings_pack::connections_limit, s.connections_limit);
  p.set_int(lt::settings_pack::download_rate_limit, s.download_rate_limit);
  p.set_int(lt::settings_pack::upload_rate_limit, s.upload_rate_limit);
  p.set_str(lt::settings_pack::outgoing_interfaces, s.outgoing_interfaces);
  if (!s.proxy.empty()) apply_proxy(s, p);
  // Plugins are added by the session's constructor body: ut_pex only when PEX is on.
  lt::session_params params(std::move(p), {});
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

// The outbound address guard as an IP filter: every restricted range and this machine's own
// addresses are blocked, for peers (both ways), trackers and web seeds.
lt::ip_filter guard_filter() {
  lt::ip_filter filter;
  for (const auto& r : net::restricted_ranges())
    filter.add_rule(lt::make_address(r.first), lt::make_address(r.last), lt::ip_filter::blocked);
  for (const auto& a : net::own_addresses()) {
    const auto address = lt::make_address(a);
    filter.add_rule(address, address, lt::ip_filter::blocked);
  }
  return filter;
}

int clamp_rate(std::uint64_t bps) {
  return bps > static_cast<std::uint64_t>(INT_MAX) ? INT_MAX : static_cast<int>(bps);
}

}  // namespace

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
  alerts_ = std::thread([this] { alert_loop(); });
}

TorrentSession::~TorrentSession() {
  quit_ = true;
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
  // saved while held must not keep it.
  if (prefs.hold)
    atp.flags |= lt::torrent_flags::upload_mode;
  else
    atp.flags &= ~lt::torrent_flags::upload_mode;

  auto job = std::make_shared<TorrentJob>();
  job->key = (atp.ti ? atp.ti->info_hashes() : atp.info_hashes).get_best();
  job->sink = sink;
  job->work_dir = work_dir;
  job->ti = atp.ti;
  job->prefs = prefs;
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

void TorrentSession::configure(TorrentJob* raw, const JobPrefs& prefs) {
  std::shared_ptr<TorrentJob> job = find(raw->key);
  if (!job) return;
  std::lock_guard<std::mutex> lock(job->m);
  job->prefs = prefs;
  if (job->stopped || job->finishing || job->removed || !job->handle.is_valid()) return;
  apply_limits(*job);
  if (job->ti) job->handle.prioritize_files(file_priorities(*job));
  if (!prefs.hold) job->handle.unset_flags(lt::torrent_flags::upload_mode);
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

void TorrentSession::handle_alerts() {
  std::vector<lt::alert*> alerts;
  session_.pop_alerts(&alerts);
  // A tracker's error or warning, told to the owner of the job it concerns.
  auto tracker_told = [](TorrentJob& job, const std::string& url, const char* kind, const std::string& words) {
    std::lock_guard<std::mutex> lock(job.m);
    if (!job.stopped) tracker_said(job.notices, url, kind, words, tell_for(job));
  };
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
        if (!job->stopped && job->finishing) {
          if (job->seeding)
            job->sink.seeding_done(job->sink.ctx, job->seeded_bytes, static_cast<uint64_t>(job->seeded_seconds));
          else
            send_files(*job, true);
        }
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
    } else if (auto* md = lt::alert_cast<lt::metadata_received_alert>(a)) {
      if (auto job = find(md->handle.info_hashes().get_best())) {
        std::lock_guard<std::mutex> lock(job->m);
        if (!job->ti) job->ti = md->handle.torrent_file();
        if (job->ti && !job->stopped) {
          job->names = stored_names(*job->ti);
          for (auto& [index, name] : renames(*job->ti, job->names)) md->handle.rename_file(index, name);
          md->handle.prioritize_files(file_priorities(*job));
          if (!job->prefs.hold) md->handle.unset_flags(lt::torrent_flags::upload_mode);
        }
      }
      session_.post_torrent_updates();  // act now rather than at the next tick
    } else if (auto* pb = lt::alert_cast<lt::peer_blocked_alert>(a)) {
      if (pb->reason == lt::peer_blocked_alert::ip_filter)
        if (auto job = find(pb->handle.info_hashes().get_best()))
          note_refused(*job, "a peer or web seed", pb->endpoint.address().to_string());
    } else if (auto* tr = lt::alert_cast<lt::tracker_error_alert>(a)) {
      if (auto job = find(tr->handle.info_hashes().get_best())) {
        if (tr->error == lt::errors::banned_by_ip_filter) {
          note_refused(*job, std::string("the tracker ") + tr->tracker_url(), tr->tracker_url());
        } else {
          tracker_told(*job, tr->tracker_url(), "tracker_error",
                       tr->failure_reason()[0] ? tr->failure_reason() : tr->error.message());
        }
      }
    } else if (auto* tw = lt::alert_cast<lt::tracker_warning_alert>(a)) {
      if (auto job = find(tw->handle.info_hashes().get_best()))
        tracker_told(*job, tw->tracker_url(), "tracker_warning", tw->warning_message());
    } else if (lt::alert_cast<lt::torrent_finished_alert>(a)) {
      session_.post_torrent_updates();
    }
  }
}

Tell TorrentSession::tell_for(TorrentJob& job) {
  return [&job](const std::string& kind, const std::string& message) {
    if (plugin_support::sink_offers(job.sink, &tseeder_job_sink::notice))
      job.sink.notice(job.sink.ctx, kind.c_str(), message.c_str());
  };
}

void TorrentSession::on_status(TorrentJob& job, const lt::torrent_status& st) {
  std::lock_guard<std::mutex> lock(job.m);
  if (job.stopped || job.finishing) return;
  job.notices.seen = seen_in(st);
  check_status(job.notices, settings_.notice_after, Clock::now(), tell_for(job));
  if (st.has_metadata && !job.metadata_sent) {
    if (!job.ti) job.ti = st.torrent_file.lock();
    if (!job.ti) job.ti = st.handle.torrent_file();
    if (job.ti) {
      send_files(job, false);
      job.metadata_sent = true;
    }
  }
  // Held (upload mode): no data comes until the host releases the job.
  if (!job.metadata_sent || job.prefs.hold) return;
  send_progress(job, st);
  if ((st.is_finished || st.is_seeding) && !job.seeding) {
    if (settings_.seeding.seeds() && host_takes_seeding(job)) {
      job.seeding = true;
      job.seeding_since = Clock::now();
      job.upload_at_finish = st.all_time_upload;
      send_files(job, true);
    } else {
      // No seeding: removal closes the files, and the removed alert reports completion.
      job.finishing = true;
      session_.remove_torrent(st.handle);
    }
  }
}

void TorrentSession::send_progress(TorrentJob& job, const lt::torrent_status& st) {
  tseeder_progress p{};
  p.struct_size = sizeof p;
  p.bytes_done = static_cast<uint64_t>(st.total_wanted_done);
  p.bytes_total = static_cast<uint64_t>(st.total_wanted);
  p.download_bps = static_cast<uint64_t>(st.download_payload_rate);
  p.upload_bps = static_cast<uint64_t>(st.upload_payload_rate);
  p.peers = static_cast<uint32_t>(st.num_peers);
  p.seeds = static_cast<uint32_t>(st.num_seeds);
  p.bytes_uploaded = static_cast<uint64_t>(std::max<std::int64_t>(0, st.all_time_upload));
  p.eta_s = st.download_payload_rate > 0
                ? static_cast<int64_t>((st.total_wanted - st.total_wanted_done) / st.download_payload_rate)
                : (st.total_wanted == st.total_wanted_done ? 0 : -1);
  job.sink.progress(job.sink.ctx, &p);
}

void TorrentSession::send_files(TorrentJob& job, bool completed) {
  const auto& fs = job.ti->files();
  std::vector<std::string> paths;
  std::vector<tseeder_file_entry> entries;
  paths.reserve(static_cast<std::size_t>(fs.num_files()));  // entries keep pointers into paths
  const auto prios = file_priorities(job);
  if (job.names.empty()) job.names = stored_names(*job.ti);
  const auto files = host_files(*job.ti);
  for (std::size_t k = 0; k < files.size(); ++k) {
    const auto i = files[k];
    // Completion reports only the files that were fetched.
    if (completed && prios[static_cast<std::size_t>(static_cast<int>(i))] == lt::dont_download) continue;
    paths.push_back(job.names[k]);
    entries.push_back({sizeof(tseeder_file_entry), paths.back().c_str(), static_cast<uint64_t>(fs.file_size(i))});
  }
  if (completed && job.seeding) {
    job.sink.completed_seeding(job.sink.ctx, entries.data(), entries.size());
  } else if (completed) {
    job.sink.completed(job.sink.ctx, entries.data(), entries.size());
  } else {
    if (plugin_support::sink_offers(job.sink, &tseeder_job_sink::content_flags))
      job.sink.content_flags(job.sink.ctx, job.ti->priv() ? TSEEDER_CONTENT_PRIVATE : 0);
    if (plugin_support::sink_offers(job.sink, &tseeder_job_sink::content_ids)) {
      const auto& ih = job.ti->info_hashes();
      std::ostringstream ids;  // digests print as lower-case hex
      if (ih.has_v1()) ids << ih.v1;
      if (ih.has_v2()) ids << (ih.has_v1() ? " " : "") << ih.v2;
      job.sink.content_ids(job.sink.ctx, ids.str().c_str());
    }
    const std::string name = job.ti->name();
    job.sink.metadata_ready(job.sink.ctx, name.c_str(), static_cast<uint64_t>(fs.total_size()), entries.data(),
                            entries.size());
  }
}

bool TorrentSession::host_takes_seeding(const TorrentJob& job) const {
  return plugin_support::sink_offers(job.sink, &tseeder_job_sink::seeding_done) && job.sink.completed_seeding;
}

void TorrentSession::check_notices() {
  std::lock_guard<std::mutex> lock(jobs_m_);
  const auto now = Clock::now();
  for (auto& [key, job] : jobs_) {
    std::lock_guard<std::mutex> jl(job->m);
    if (!job->stopped && !job->finishing) check_status(job->notices, settings_.notice_after, now, tell_for(*job));
  }
}

void TorrentSession::check_seeding() {
  std::lock_guard<std::mutex> lock(jobs_m_);
  for (auto& [key, job] : jobs_) {
    std::lock_guard<std::mutex> jl(job->m);
    if (!job->seeding || job->finishing || job->stopped || !job->handle.is_valid()) continue;
    const auto st = job->handle.status();
    job->seeded_bytes =
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, st.all_time_upload - job->upload_at_finish));
    job->seeded_seconds =
        static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - job->seeding_since).count());
    if (settings_.seeding.done(job->seeded_bytes, static_cast<std::uint64_t>(st.total_wanted), job->seeded_seconds)) {
      send_progress(*job, st);  // the last count of what it uploaded, which the next update would not bring
      job->finishing = true;
      session_.remove_torrent(job->handle);
    }
  }
}

void TorrentSession::note_refused(TorrentJob& job, const std::string& what, const std::string& address) {
  std::lock_guard<std::mutex> lock(job.m);
  if (job.refused.size() >= 100 || !job.refused.insert(address).second || !settings_.log) return;
  settings_.log(TSEEDER_LOG_INFO, "refused to connect to " + what + " at " + address +
                                      ": a loopback, private or own address (allow_private_urls)");
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
