#include "session_params.h"

#include <cstdlib>
#include <libtorrent/alert.hpp>
#include <libtorrent/disk_interface.hpp>
#include <libtorrent/posix_disk_io.hpp>
#include <libtorrent/settings_pack.hpp>

#include "net/address_policy.h"
#include "threaded_disk_io.h"

namespace tseeder::engine_libtorrent {

namespace {

constexpr int kQueuedDiskBytes = 2 << 20;

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

}  // namespace

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
  // Received blocks waiting for the disk thread, all torrents together; past it peers are not
  // read until it drains to half. A few milliseconds of writing at full speed. 50 torrents at
  // once: 125 MB peak RSS at 2 MiB, no less at 1 MiB; 256 KiB was a fifth slower.
  p.set_int(lt::settings_pack::max_queued_disk_bytes, kQueuedDiskBytes);
  p.set_int(lt::settings_pack::stop_tracker_timeout, 1);
  p.set_str(lt::settings_pack::user_agent, "tseeder/" TSEEDER_ENGINE_VERSION);
  const int enc = s.encryption == "forced"     ? lt::settings_pack::pe_forced
                  : s.encryption == "disabled" ? lt::settings_pack::pe_disabled
                                               : lt::settings_pack::pe_enabled;
  p.set_int(lt::settings_pack::out_enc_policy, enc);
  p.set_int(lt::settings_pack::in_enc_policy, enc);
  p.set_int(lt::settings_pack::allowed_enc_level, lt::settings_pack::pe_both);
  p.set_int(lt::settings_pack::connections_limit, s.connections_limit);
  // libtorrent reads everything a peer's socket holds into one buffer of that size: with the
  // kernel's autotuning that is megabytes per connection whenever the disk lags the network
  // (50 torrents at once: 384 MB peak RSS; with 256 KiB, 116 MB and no slower).
  if (s.receive_buffer_kib > 0) p.set_int(lt::settings_pack::recv_socket_buffer_size, s.receive_buffer_kib * 1024);
  p.set_int(lt::settings_pack::download_rate_limit, s.download_rate_limit);
  p.set_int(lt::settings_pack::upload_rate_limit, s.upload_rate_limit);
  if (s.download_rate_limit || s.upload_rate_limit) p.set_int(lt::settings_pack::tick_interval, kLimitedTickMs);
  // Limits are on payload, as users read them (and as the HTTP engine and qBittorrent count).
  p.set_bool(lt::settings_pack::rate_limit_ip_overhead, false);
  p.set_str(lt::settings_pack::outgoing_interfaces, s.outgoing_interfaces);
  if (!s.proxy.empty()) apply_proxy(s, p);
  // Plugins are added by the session's constructor body: ut_pex only when PEX is on.
  lt::session_params params(std::move(p), {});
  // pread/pwrite instead of memory-mapped files: bounded memory whatever the torrent size; on a
  // thread of its own, so that writing and hashing overlap with reading the sockets.
  params.disk_io_constructor = s.disk_thread ? threaded_disk_io_constructor : lt::posix_disk_io_constructor;
  return params;
}

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

}  // namespace tseeder::engine_libtorrent
