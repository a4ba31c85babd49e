#include "remote_job.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/thread_name.h"
#include "plugin_support.h"
#include "torrent_source.h"

namespace tseeder::engine_seedr {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kMaxTorrentFile = 10u << 20;  // as the host accepts uploads
constexpr int kMissingPolls = 5;  // a transfer neither in progress nor finished for this many polls is gone

std::uint64_t size_on_disk(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

std::string read_torrent_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw JobFailure{"cannot read the .torrent file", false};
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().size() > kMaxTorrentFile) throw JobFailure{"the .torrent file is larger than 10 MiB", false};
  return text.str();
}

std::string space_text(Account& account, Stopper& stop) {
  try {
    auto j = account.call("get_memory_bandwidth", {}, stop);
    auto used = number_at(j, "space_used"), max = number_at(j, "space_max");
    if (used && max) return std::to_string(*used) + " of " + std::to_string(*max) + " bytes used";
  } catch (const ServiceError&) {
  }
  return "space used and maximum unknown";
}

}  // namespace

RemoteJob::RemoteJob(Account& account, const RemoteJobSettings& settings, std::string source, std::string work_dir,
                     const tseeder_job_sink& sink, Selection selection)
    : account_(account),
      settings_(settings),
      source_(std::move(source)),
      work_dir_(std::move(work_dir)),
      sink_(sink),
      selection_(std::move(selection)) {
  thread_ = std::thread([this] { run(); });
}

RemoteJob::~RemoteJob() {
  stop();
}

void RemoteJob::stop() {
  stop_.request();
  if (thread_.joinable()) thread_.join();
}

void RemoteJob::select(Selection selection) {
  std::lock_guard lock(mu_);
  selection_ = std::move(selection);
}

Selection RemoteJob::selection() {
  std::lock_guard lock(mu_);
  return selection_;
}

void RemoteJob::notice(const char* kind, const std::string& message) {
  if (message == last_notice_ || !plugin_support::sink_offers(sink_, &tseeder_job_sink::notice)) return;
  last_notice_ = message;
  sink_.notice(sink_.ctx, kind, message.c_str());
}

void RemoteJob::emit(std::uint64_t done, std::uint64_t total, std::uint64_t bps, std::uint32_t peers,
                     std::uint32_t seeds) {
  tseeder_progress p{};
  p.struct_size = sizeof p;
  p.bytes_done = done;
  p.bytes_total = total;
  p.download_bps = bps;
  p.peers = peers;
  p.seeds = seeds;
  p.eta_s = bps && total > done ? static_cast<int64_t>((total - done) / bps) : (total && done >= total ? 0 : -1);
  sink_.progress(sink_.ctx, &p);
}

// Waits out what is not the job's fault (the account's credentials) and ends on the rest.
void RemoteJob::run() {
  core::name_this_thread("seedr-job");
  for (;;) {
    try {
      steps();
      return;
    } catch (const Stopped&) {
      return;
    } catch (const AuthError& e) {
      notice("provider_unhealthy", std::string("waiting: ") + e.what());
      const auto seen = account_.credentials_generation();
      const auto until = Clock::now() + milliseconds(settings_.auth_retry_ms);
      while (Clock::now() < until && account_.credentials_generation() == seen)
        if (!stop_.sleep(milliseconds(200))) return;
    } catch (const JobFailure& f) {
      sink_.failed(sink_.ctx, f.reason.c_str(), f.retryable ? 1 : 0);
      return;
    } catch (const ServiceError& e) {
      sink_.failed(sink_.ctx, e.what(), e.retryable ? 1 : 0);
      return;
    } catch (const std::exception& e) {
      sink_.failed(sink_.ctx, e.what(), 1);
      return;
    }
  }
}

void RemoteJob::steps() {
  RemoteState state = read_state(work_dir_).value_or(RemoteState{});
  if (!state.torrent_id && !state.folder_id) add(state);
  if (!state.folder_id) follow(state);
  const auto files = list_folder(account_, state.folder_id, state.title.empty() ? "download" : state.title, stop_);
  std::vector<tseeder_file_entry> entries;
  std::uint64_t total = 0;
  for (const auto& f : files) {
    entries.push_back({sizeof(tseeder_file_entry), f.path.c_str(), f.size});
    total += f.size;
  }
  if (!state.hash.empty() && plugin_support::sink_offers(sink_, &tseeder_job_sink::content_ids))
    sink_.content_ids(sink_.ctx, state.hash.c_str());
  sink_.metadata_ready(sink_.ctx, state.title.c_str(), total, entries.data(), entries.size());
  wait_released();
  pull(state, files);
}

void RemoteJob::add(RemoteState& state) {
  Json answer;
  if (source_.rfind("magnet:", 0) == 0) {
    answer = account_.call("add_torrent", {{"magnet", source_}, {"folder_id", "-1"}}, stop_);
  } else {
    const FilePart file{"torrent_file", "job.torrent",
                        is_torrent_url(source_) ? fetch_torrent_url() : read_torrent_file(source_)};
    answer = account_.call("add_torrent", {{"folder_id", "-1"}}, stop_, &file);
  }
  const auto& result = answer.contains("result") ? answer["result"] : Json();
  if (result.is_string()) {
    const auto text = result.get<std::string>();
    // The service parks what it cannot start in the account's wishlist; tseeder does not leave
    // it there, so a later attempt starts clean.
    if (answer.contains("wt"))
      if (auto wid = number_at(answer["wt"], "id")) try {
          account_.call("remove_wishlist", {{"id", std::to_string(*wid)}}, stop_);
        } catch (const ServiceError&) {
        }
    if (text.rfind("not_enough_space", 0) == 0)
      throw JobFailure{"the Seedr account has not enough space for this torrent (" + space_text(account_, stop_) + ")",
                       true};
    if (text.rfind("queue_full", 0) == 0)
      throw JobFailure{
          "Seedr's queue is full (queue_full_added_to_wishlist): the account runs as many transfers as "
          "its plan allows; the wishlist entry Seedr made was removed and the job tries again later",
          true};
    throw JobFailure{"Seedr did not add the torrent: " + text, false};
  }
  auto id = number_at(answer, "user_torrent_id");
  if (result != true || !id)
    throw JobFailure{"Seedr did not add the torrent: " + (answer.contains("error") && answer["error"].is_string()
                                                              ? answer["error"].get<std::string>()
                                                              : std::string("no reason given")),
                     false};
  state.torrent_id = *id;
  state.hash = answer.contains("torrent_hash") && answer["torrent_hash"].is_string()
                   ? answer["torrent_hash"].get<std::string>()
                   : "";
  for (auto& c : state.hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  state.title = answer.contains("title") && answer["title"].is_string() ? answer["title"].get<std::string>() : "";
  write_state(work_dir_, state);
  notice("remote", "Seedr is downloading the torrent; tseeder pulls the files when it is done");
}

// The service is given the file, not the URL: public clients disagree on how the API takes URLs.
std::string RemoteJob::fetch_torrent_url() {
  auto http = settings_.pull.http;
  http.abort = stop_.flag();
  auto r = http_get_for_user(http, settings_.user_fetch, source_);
  if (stop_.stopping()) throw Stopped{};
  if (r.status == 0) throw JobFailure{"cannot fetch the .torrent: " + r.error, r.error.rfind("refused", 0) != 0};
  if (r.status != 200)
    throw JobFailure{"cannot fetch the .torrent: HTTP " + std::to_string(r.status), r.status >= 500 || r.status == 429};
  if (r.body.empty() || r.body[0] != 'd') throw JobFailure{"the URL did not answer with a .torrent file", false};
  return r.body;
}

void RemoteJob::follow(RemoteState& state) {
  std::int64_t last_progress = -1;
  auto moved_at = Clock::now();
  int missing = 0;
  for (;;) {
    auto root = account_.call("list_contents", {{"content_type", "folder"}, {"content_id", "0"}}, stop_);
    const Json* torrent = nullptr;
    if (root.contains("torrents") && root["torrents"].is_array())
      for (const auto& t : root["torrents"])
        if (number_at(t, "id") == state.torrent_id ||
            (!state.hash.empty() && t.is_object() && t.value("hash", std::string()) == state.hash))
          torrent = &t;
    if (torrent) {
      missing = 0;
      if (state.title.empty() && torrent->contains("name") && (*torrent)["name"].is_string()) {
        state.title = (*torrent)["name"].get<std::string>();
        write_state(work_dir_, state);
      }
      Json stats = *torrent;
      if (torrent->contains("progress_url") && (*torrent)["progress_url"].is_string()) {
        try {
          auto p = account_.get_url((*torrent)["progress_url"].get<std::string>(), stop_);
          if (p.contains("stats") && p["stats"].is_object()) stats.update(p["stats"]);
        } catch (const ServiceError&) {
          // The listing's figures serve until the progress URL answers again.
        }
      }
      const auto progress = number_at(stats, "progress").value_or(0);
      const auto size = number_at(stats, "size").value_or(0);
      emit(static_cast<std::uint64_t>(size) * static_cast<std::uint64_t>(std::min<std::int64_t>(progress, 100)) / 100,
           static_cast<std::uint64_t>(size), static_cast<std::uint64_t>(number_at(stats, "download_rate").value_or(0)),
           static_cast<std::uint32_t>(number_at(stats, "leechers").value_or(0)),
           static_cast<std::uint32_t>(number_at(stats, "seeders").value_or(0)));
      if (progress != last_progress) {
        last_progress = progress;
        moved_at = Clock::now();
      } else if (Clock::now() - moved_at > std::chrono::seconds(settings_.stall_timeout_s)) {
        try {
          account_.call("delete",
                        {{"delete_arr", Json::array({{{"type", "torrent"}, {"id", state.torrent_id}}}).dump()}}, stop_);
        } catch (const ServiceError&) {
        }
        remove_state(work_dir_);
        throw JobFailure{
            "the torrent made no progress on Seedr for " + std::to_string(settings_.stall_timeout_s) + " s (at " +
                std::to_string(progress) +
                " %; a magnet nobody seeds stays at 0 % there); removed from the account, tried again later",
            true};
      }
    } else {
      // A finished transfer leaves torrents[] and becomes a folder of its name.
      if (root.contains("folders") && root["folders"].is_array())
        for (const auto& f : root["folders"])
          if (f.is_object() && f.contains("name") && f["name"] == state.title)
            if (auto id = number_at(f, "id")) {
              state.folder_id = *id;
              write_state(work_dir_, state);
              return;
            }
      if (++missing > kMissingPolls) {
        remove_state(work_dir_);
        throw JobFailure{"the transfer is gone from the Seedr account (neither in progress nor finished)", true};
      }
    }
    if (!stop_.sleep(milliseconds(settings_.poll_interval_ms))) throw Stopped{};
  }
}

void RemoteJob::wait_released() {
  while (selection().held)
    if (!stop_.sleep(milliseconds(50))) throw Stopped{};
}

void RemoteJob::pull(const RemoteState& state, const std::vector<RemoteFile>& files) {
  notice("pulling", "Seedr finished the torrent; tseeder is pulling its files");
  // The choice may change while files are pulled: what is wanted is read again after each file.
  for (;;) {
    const auto sel = selection();
    std::uint64_t total = 0, done = 0;
    const RemoteFile* next = nullptr;
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (!sel.wanted(i)) continue;
      const auto have = std::min(size_on_disk(work_dir_ + "/" + files[i].path), files[i].size);
      total += files[i].size;
      done += have;
      if (!next &&
          (have < files[i].size || (files[i].size == 0 && !std::filesystem::exists(work_dir_ + "/" + files[i].path))))
        next = &files[i];
    }
    if (!next) {
      std::vector<tseeder_file_entry> entries;
      for (std::size_t i = 0; i < files.size(); ++i)
        if (sel.wanted(i)) {
          if (size_on_disk(work_dir_ + "/" + files[i].path) != files[i].size)
            throw JobFailure{files[i].path + " is not the size Seedr lists", false};
          entries.push_back({sizeof(tseeder_file_entry), files[i].path.c_str(), files[i].size});
        }
      emit(done, total, 0, 1, 0);
      if (settings_.delete_after_pull) {
        try {
          account_.call("delete", {{"delete_arr", Json::array({{{"type", "folder"}, {"id", state.folder_id}}}).dump()}},
                        stop_);
        } catch (const ServiceError& e) {
          notice("remote_delete", std::string("the files stay in the Seedr account: ") + e.what());
        }
      }
      remove_state(work_dir_);
      sink_.completed(sink_.ctx, entries.data(), entries.size());
      return;
    }
    pull_file(*next, done, total);
  }
}

void RemoteJob::pull_file(const RemoteFile& f, std::uint64_t& done, std::uint64_t total) {
  const auto path = work_dir_ + "/" + f.path;
  auto signed_url = [&] {
    auto j = account_.call("fetch_file", {{"folder_file_id", std::to_string(f.id)}}, stop_);
    if (j.value("result", false) != true || !j.contains("url") || !j["url"].is_string())
      throw JobFailure{"Seedr gave no download URL for " + f.path, true};
    return j["url"].get<std::string>();
  };
  std::string url = signed_url();
  auto last = Clock::now();
  std::uint64_t since = 0;
  int failures = 0;
  for (;;) {
    const auto before = size_on_disk(path);
    PullSettings ps = settings_.pull;
    ps.limit_bps = selection().limit_bps;
    ps.http.abort = stop_.flag();
    auto r = pull_once(ps, url, path, f.size, [&](std::uint64_t n) {
      done += n;
      since += n;
      const auto now = Clock::now();
      const auto ms = std::chrono::duration_cast<milliseconds>(now - last).count();
      if (ms >= settings_.progress_interval_ms) {
        emit(done, total, since * 1000 / static_cast<std::uint64_t>(ms), 1, 0);
        last = now;
        since = 0;
      }
      return !stop_.stopping();
    });
    if (stop_.stopping()) throw Stopped{};
    switch (r.kind) {
      case PullResult::Kind::whole:
        return;
      case PullResult::Kind::too_long:
        throw JobFailure{f.path + ": " + r.detail, false};
      case PullResult::Kind::local_error:
        throw JobFailure{r.detail, false};
      case PullResult::Kind::url_expired:
        url = signed_url();
        break;
      case PullResult::Kind::busy:
      case PullResult::Kind::cut:
        break;
    }
    // Bytes that came in earn the pull a fresh count of attempts.
    failures = size_on_disk(path) > before ? 1 : failures + 1;
    if (failures > settings_.retry.attempts)
      throw JobFailure{"pulling " + f.path + " from Seedr failed: " + r.detail + " after " +
                           std::to_string(failures - 1) + " attempts",
                       true};
    if (!stop_.sleep(backoff(settings_.retry, failures))) throw Stopped{};
  }
}

}  // namespace tseeder::engine_seedr
