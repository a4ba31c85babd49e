// engine-libtorrent: magnet links and .torrent files with libtorrent-rasterbar 2.0.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "plugin_support.h"
#include "torrent_session.h"
#include "torrent_source.h"
#include "tseeder/plugin.h"

namespace {

using namespace tseeder::plugin_support;

using tseeder::engine_libtorrent::SessionSettings;
using tseeder::engine_libtorrent::TorrentJob;
using tseeder::engine_libtorrent::TorrentSession;

struct Plugin {
  TorrentSession* session = nullptr;
};

struct Handle {
  Plugin* plugin;
  TorrentJob* job;
};

tseeder_status plugin_init(const tseeder_host_api* host, void** self, char* err, size_t err_len) {
  try {
    SessionSettings s;
    config_text(host, "engine_torrent.listen_interfaces", s.listen_interfaces);
    s.dht = config_bool(host, "engine_torrent.dht", s.dht);
    s.lsd = config_bool(host, "engine_torrent.lsd", s.lsd);
    s.upnp = config_bool(host, "engine_torrent.upnp", s.upnp);
    s.natpmp = config_bool(host, "engine_torrent.natpmp", s.natpmp);
    s.utp = config_bool(host, "engine_torrent.utp", s.utp);
    s.allow_multiple_connections_per_ip =
        config_bool(host, "engine_torrent.allow_multiple_connections_per_ip", s.allow_multiple_connections_per_ip);
    s.resume_save_interval_s =
        static_cast<int>(config_long(host, "engine_torrent.resume_save_interval_s", s.resume_save_interval_s));
    s.progress_interval_ms = static_cast<int>(config_long(host, "jobs.progress_interval_ms", s.progress_interval_ms));
    s.pex = config_bool(host, "engine_torrent.pex", s.pex);
    config_text(host, "engine_torrent.encryption", s.encryption);
    s.connections_limit = static_cast<int>(config_long(host, "engine_torrent.connections_limit", s.connections_limit));
    s.peers_per_torrent = static_cast<int>(config_long(host, "engine_torrent.peers_per_torrent", s.peers_per_torrent));
    s.receive_buffer_kib =
        static_cast<int>(config_long(host, "engine_torrent.receive_buffer_kib", s.receive_buffer_kib));
    s.disk_thread = config_bool(host, "engine_torrent.disk_thread", s.disk_thread);
    s.download_rate_limit =
        static_cast<int>(config_long(host, "engine_torrent.download_rate_limit", s.download_rate_limit));
    s.upload_rate_limit = static_cast<int>(config_long(host, "engine_torrent.upload_rate_limit", s.upload_rate_limit));
    config_text(host, "engine_torrent.proxy", s.proxy);
    config_text(host, "engine_torrent.proxy_username", s.proxy_username);
    config_text(host, "engine_torrent.proxy_password", s.proxy_password);
    config_text(host, "engine_torrent.outgoing_interfaces", s.outgoing_interfaces);
    std::string ratio;
    if (config_text(host, "engine_torrent.seed_ratio_limit", ratio))
      s.seeding.ratio_limit = std::strtod(ratio.c_str(), nullptr);
    s.seeding.time_limit_s = config_long(host, "engine_torrent.seed_time_limit_s", s.seeding.time_limit_s);
    s.allow_private_addresses = config_bool(host, "allow_private_urls", false);
    s.notice_after = std::chrono::seconds(config_long(host, "engine_torrent.notice_after_s", s.notice_after.count()));
    if (host && host->log)
      s.log = [host](int level, const std::string& msg) {
        host->log(host->host_ctx, level, "engine-libtorrent", msg.c_str());
      };
    auto* p = new Plugin;
    p->session = new TorrentSession(s);
    *self = p;
    return TSEEDER_OK;
  } catch (const std::exception& e) {
    copy_err(err, err_len, std::string("cannot start the BitTorrent session: ") + e.what());
    return TSEEDER_ERR;
  }
}

void plugin_shutdown(void* self) {
  auto* p = static_cast<Plugin*>(self);
  delete p->session;
  delete p;
}

int engine_accepts(void*, const char* source, char* err, size_t err_len) {
  if (!source || !tseeder::engine_libtorrent::looks_like_torrent_source(source)) {
    copy_err(err, err_len, "not a magnet link or .torrent file");
    return 0;
  }
  try {
    tseeder::engine_libtorrent::parse_source(source);
    return 1;
  } catch (const std::exception& e) {
    copy_err(err, err_len, e.what());
    return -1;
  }
}

int engine_inspect(void*, const char* source, tseeder_source_info* info, char* err, size_t err_len) {
  try {
    auto atp = tseeder::engine_libtorrent::parse_source(source ? source : "");
    const auto& ih = atp.ti ? atp.ti->info_hashes() : atp.info_hashes;
    std::snprintf(info->infohash, sizeof info->infohash, "%s", tseeder::engine_libtorrent::infohash_hex(ih).c_str());
    std::snprintf(info->name, sizeof info->name, "%s", atp.ti ? atp.ti->name().c_str() : atp.name.c_str());
    info->total_bytes = atp.ti ? static_cast<uint64_t>(atp.ti->total_size()) : 0;
    info->file_count = atp.ti ? static_cast<uint32_t>(tseeder::engine_libtorrent::host_files(*atp.ti).size()) : 0;
    if (has_field(*info, &tseeder_source_info::content_flags))
      info->content_flags = atp.ti && atp.ti->priv() ? TSEEDER_CONTENT_PRIVATE : 0;
    return 1;
  } catch (const std::exception& e) {
    copy_err(err, err_len, e.what());
    return 0;
  }
}

tseeder_status engine_start(void* self, const tseeder_job_spec* spec, const tseeder_job_sink* sink, void** handle,
                            char* err, size_t err_len) {
  return start_job(spec, sink, handle, err, err_len, [&]() -> void* {
    auto* p = static_cast<Plugin*>(self);
    TorrentJob* job =
        p->session->start(spec->source, spec->work_dir, *sink, tseeder::engine_libtorrent::JobPrefs::from_spec(*spec));
    return new Handle{p, job};
  });
}

tseeder_status engine_configure(void* handle, const tseeder_job_spec* spec) {
  if (!handle || !spec) return TSEEDER_INVALID;
  auto* h = static_cast<Handle*>(handle);
  try {
    h->plugin->session->configure(h->job, tseeder::engine_libtorrent::JobPrefs::from_spec(*spec));
    return TSEEDER_OK;
  } catch (...) {
    return TSEEDER_ERR;
  }
}

void engine_stop(void* handle) {
  auto* h = static_cast<Handle*>(handle);
  try {
    h->plugin->session->stop(h->job);
  } catch (...) {
  }
  delete h;
}

long engine_describe(void* handle, char* json, size_t len) {
  auto* h = static_cast<Handle*>(handle);
  if (!h || !json) return -1;
  try {
    const std::string text = tseeder::engine_libtorrent::describe(h->job->handle);
    if (text.size() < len) std::memcpy(json, text.c_str(), text.size() + 1);
    return static_cast<long>(text.size());
  } catch (...) {
    return -1;
  }
}

tseeder_status engine_reannounce(void* handle) {
  auto* h = static_cast<Handle*>(handle);
  if (!h) return TSEEDER_INVALID;
  try {
    h->job->handle.force_reannounce();
    return TSEEDER_OK;
  } catch (...) {
    return TSEEDER_ERR;
  }
}

const tseeder_engine_api kEngine = {
    sizeof(tseeder_engine_api), engine_accepts,  engine_start,      nullptr, nullptr, engine_stop, engine_inspect,
    engine_configure,           engine_describe, engine_reannounce, nullptr, nullptr,
};

constexpr tseeder_plugin_descriptor kDescriptor = engine_descriptor(
    "engine-libtorrent", TSEEDER_ENGINE_VERSION,
    "BitTorrent: magnet links and .torrent files (libtorrent-rasterbar 2.0)", plugin_init, plugin_shutdown, &kEngine);

}  // namespace

extern "C" TSEEDER_PLUGIN_EXPORT const tseeder_plugin_descriptor* tseeder_plugin_entry(const tseeder_host_api*) {
  return &kDescriptor;
}
