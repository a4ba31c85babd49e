#include "torrent_diagnostics.h"

#include <libtorrent/announce_entry.hpp>
#include <libtorrent/peer_info.hpp>
#include <nlohmann/json.hpp>

#include "torrent_source.h"

namespace tseeder::engine_libtorrent {

namespace {

std::string spell(std::chrono::seconds s) {
  const auto n = s.count();
  if (n % 60 == 0 && n >= 60) return std::to_string(n / 60) + (n == 60 ? " minute" : " minutes");
  return std::to_string(n) + " s";
}

// Whether a spell of `on` started at `since` has lasted `after`; starts or ends it.
bool lasted(bool on, NoticeState::Clock::time_point& since, bool& told, std::chrono::seconds after,
            NoticeState::Clock::time_point now) {
  if (!on) {
    since = {};
    told = false;
    return false;
  }
  if (since == NoticeState::Clock::time_point{}) since = now;
  if (told || now - since < after) return false;
  told = true;
  return true;
}

}  // namespace

Seen seen_in(const lt::torrent_status& st) {
  Seen s;
  s.known = true;
  // Paused, or held in upload mode while the host checks the metadata: nothing is expected.
  s.fetching = !st.is_finished && !st.is_seeding && !(st.flags & lt::torrent_flags::paused) &&
               !(st.has_metadata && (st.flags & lt::torrent_flags::upload_mode));
  s.has_metadata = st.has_metadata;
  s.dht = st.announcing_to_dht;
  s.peers = st.num_peers;
  s.payload = st.total_payload_download;
  return s;
}

void check_status(NoticeState& n, std::chrono::seconds after, NoticeState::Clock::time_point now, const Tell& tell) {
  const Seen& s = n.seen;
  if (!s.known) return;
  if (lasted(s.fetching && !s.has_metadata, n.no_metadata_since, n.told_no_metadata, after, now))
    tell("no_metadata", "no metadata after " + spell(after) + ": no peer has sent the torrent's file list yet (" +
                            std::to_string(s.peers) + " peers connected)");
  if (lasted(s.fetching && s.has_metadata && s.peers == 0, n.no_peers_since, n.told_no_peers, after, now))
    tell("no_peers", "no peers for " + spell(after) + ": the trackers" + std::string(s.dht ? " and the DHT" : "") +
                         " have found nobody to download from");
  const bool no_data = s.payload == n.payload_checked;
  n.payload_checked = s.payload;
  if (lasted(s.fetching && s.has_metadata && s.peers > 0 && no_data, n.stalled_since, n.told_stalled, after, now))
    tell("stalled", "no data for " + spell(after) + " although " + std::to_string(s.peers) +
                        " peers are connected: none of them has the missing pieces, or they do not send");
}

void tracker_said(NoticeState& n, const std::string& url, const std::string& kind, const std::string& words,
                  const Tell& tell) {
  const std::string said = kind + ": " + words;
  auto& last = n.tracker_told[url];
  if (last == said || n.tracker_told.size() > 50) return;
  last = said;
  tell(kind, "tracker " + url + (kind == "tracker_error" ? " failed: " : " warns: ") + words);
}

std::string describe(const lt::torrent_handle& h) {
  using nlohmann::json;
  const auto now = lt::clock_type::now();
  json trackers = json::array();
  for (const auto& t : h.trackers()) {
    json entry = {{"url", t.url},       {"tier", t.tier},           {"status", "not contacted"},
                  {"message", nullptr}, {"nextAnnounceS", nullptr}, {"seeds", nullptr},
                  {"leechers", nullptr}};
    for (const auto& ep : t.endpoints) {
      for (const auto& ih : ep.info_hashes) {
        if (ih.updating)
          entry["status"] = "announcing";
        else if (ih.last_error)
          entry["status"] = "error", entry["message"] = ih.last_error.message();
        else if (ih.start_sent)
          entry["status"] = "working";
        if (!ih.message.empty()) entry["message"] = ih.message;
        if (ih.next_announce > now)
          entry["nextAnnounceS"] = std::chrono::duration_cast<std::chrono::seconds>(ih.next_announce - now).count();
        if (ih.scrape_complete >= 0) entry["seeds"] = ih.scrape_complete;
        if (ih.scrape_incomplete >= 0) entry["leechers"] = ih.scrape_incomplete;
      }
    }
    trackers.push_back(std::move(entry));
  }
  json peers = json::array();
  std::vector<lt::peer_info> info;
  h.get_peer_info(info);
  for (const auto& p : info)
    peers.push_back({{"address", p.ip.address().to_string() + ":" + std::to_string(p.ip.port())},
                     {"client", p.client},
                     {"progress", p.progress},
                     {"downloadSpeed", p.payload_down_speed},
                     {"uploadSpeed", p.payload_up_speed},
                     {"seed", static_cast<bool>(p.flags & lt::peer_info::seed)}});
  return json{{"infohash", infohash_hex(h.info_hashes())}, {"trackers", trackers}, {"peers", peers}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

}  // namespace tseeder::engine_libtorrent
