// The libtorrent session's settings, from the engine's config keys.
#pragma once
#include <chrono>
#include <functional>
#include <libtorrent/ip_filter.hpp>
#include <libtorrent/session_params.hpp>
#include <string>

#include "seeding_policy.h"

namespace tseeder::engine_libtorrent {

struct SessionSettings {
  std::string listen_interfaces = "0.0.0.0:6881,[::]:6881";
  bool dht = true, lsd = true, upnp = false, natpmp = false, utp = false;
  bool allow_multiple_connections_per_ip = false;
  int progress_interval_ms = 1000;
  int resume_save_interval_s = 10;
  bool pex = true;
  std::string encryption = "enabled";  // enabled | forced | disabled
  int connections_limit = 500;
  int peers_per_torrent = 100;
  int receive_buffer_kib = 256;  // 0 = the kernel's autotuning
  bool disk_thread = true;       // false: libtorrent's posix disk I/O on the network thread
  int download_rate_limit = 0;   // bytes/s, all torrents; 0 = none
  int upload_rate_limit = 0;
  std::string proxy;  // socks5://host:port | socks4://… | http://…; empty = direct
  std::string proxy_username, proxy_password;
  std::string outgoing_interfaces;
  SeedingPolicy seeding;
  // Off: trackers, web seeds and peers at loopback, private, link-local… addresses and at this
  // machine's own addresses are refused (libtorrent's IP filter), as for URL jobs.
  bool allow_private_addresses = false;
  std::function<void(int level, const std::string& message)> log;  // tseeder_log_level
  // How long no metadata, no peers or no data lasts before the job's owner is told.
  std::chrono::seconds notice_after{300};
};

// libtorrent hands out rate-limit quota once a tick, and a peer reads only when its whole request
// (every byte it asked the remote for) is granted or 20 ticks passed: at the default 500 ms a
// limited torrent gets its data in lumps of several seconds. At 10 ms every 5-second window stays
// within a few percent of the limit; the tick costs about 0.3 % of a core, so only while a limit
// is set.
inline constexpr int kLimitedTickMs = 10;

lt::session_params make_params(const SessionSettings& s);
// The outbound address guard as an IP filter: every restricted range and this machine's own
// addresses are blocked, for peers (both ways), trackers and web seeds.
lt::ip_filter guard_filter();

}  // namespace tseeder::engine_libtorrent
