// TorrentSession's side facing the host: libtorrent's alerts and status updates turned into sink
// calls (progress, file lists, completion, notices), and the periodic seeding and notice checks.
#include <libtorrent/alert_types.hpp>
#include <libtorrent/write_resume_data.hpp>
#include <sstream>

#include "file_names.h"
#include "plugin_support.h"
#include "torrent_session.h"

namespace tseeder::engine_libtorrent {

using Clock = std::chrono::steady_clock;

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
          if (!job->prefs.hold) release_hold(md->handle);
        }
      }
      session_.post_torrent_updates();  // act now rather than at the next tick
    } else if (auto* at = lt::alert_cast<lt::add_torrent_alert>(a)) {
      on_added(*at);
      // A .torrent brings its metadata along: tell the host now, not at the next progress tick.
      session_.post_torrent_updates();
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

// The answer to start()'s async add: the handle, then what configure() changed meanwhile.
void TorrentSession::on_added(const lt::add_torrent_alert& at) {
  const auto& p = at.params;
  auto job = find((p.ti ? p.ti->info_hashes() : p.info_hashes).get_best());
  if (!job) return;
  std::lock_guard<std::mutex> lock(job->m);
  job->added = true;
  job->cv.notify_all();
  if (at.error) {
    const std::string reason = "libtorrent refused the torrent: " + at.error.message();
    if (!job->stopped) job->sink.failed(job->sink.ctx, reason.c_str(), 0);
    return;
  }
  job->handle = at.handle;
  // stop() waits for this and removes it; prefs given at start() are in the add already.
  if (job->stopped || !job->prefs_pending) return;
  apply_limits(*job);
  if (job->ti) job->handle.prioritize_files(file_priorities(*job));
  if (!job->prefs.hold) release_hold(job->handle);
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

}  // namespace tseeder::engine_libtorrent
