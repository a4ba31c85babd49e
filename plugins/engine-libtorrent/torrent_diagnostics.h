// What the BitTorrent engine tells beyond progress: notices (a tracker's error or warning, no
// peers, no metadata, a stall), each said once and again only when it changes, and the live
// details the host shows on request (trackers with their last answers, peers).
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <libtorrent/torrent_handle.hpp>
#include <libtorrent/torrent_status.hpp>
#include <map>
#include <string>

namespace tseeder::engine_libtorrent {

using Tell = std::function<void(const std::string& kind, const std::string& message)>;

// What the last status update showed: libtorrent reports only torrents that changed, so a
// torrent stuck without metadata or peers is checked against what was last seen.
struct Seen {
  bool known = false;
  bool fetching = false;  // not finished, paused or held: data is expected
  bool has_metadata = false;
  bool dht = false;
  int peers = 0;
  std::int64_t payload = 0;  // payload bytes received so far (the rate decays too slowly to tell)
};
Seen seen_in(const lt::torrent_status& st);

struct NoticeState {
  using Clock = std::chrono::steady_clock;
  Seen seen;
  Clock::time_point no_metadata_since{}, no_peers_since{}, stalled_since{};
  bool told_no_metadata = false, told_no_peers = false, told_stalled = false;
  std::int64_t payload_checked = -1;                // `payload` at the last check
  std::map<std::string, std::string> tracker_told;  // tracker URL → the last thing told of it
};

// From what was last seen: no metadata, no peers or no data for `after`, told once per spell.
// Called on each status update and on the engine's tick.
void check_status(NoticeState& n, std::chrono::seconds after, NoticeState::Clock::time_point now, const Tell& tell);
// A tracker's error or warning; the same words from the same tracker are told once.
void tracker_said(NoticeState& n, const std::string& url, const std::string& kind, const std::string& words,
                  const Tell& tell);
// {"infohash", "trackers": [{url, tier, status, message, nextAnnounceS, seeds, leechers}],
//  "peers": [{address, client, progress, downloadSpeed, uploadSpeed, seed}]} as JSON text.
std::string describe(const lt::torrent_handle& h);

}  // namespace tseeder::engine_libtorrent
