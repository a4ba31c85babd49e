// engine-http: downloads http:// and https:// URLs with libcurl.
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "content_disposition.h"
#include "http_transfer.h"
#include "net/address_policy.h"
#include "plugin_support.h"
#include "tseeder/plugin.h"

namespace {

using namespace tseeder::plugin_support;

using tseeder::engine_http::Settings;
using tseeder::engine_http::Transfer;

struct Plugin {
  const tseeder_host_api* host;
  Settings settings;
  tseeder::engine_http::Pacer pacer;  // engine_http.download_rate_limit, every transfer together
};

tseeder_status plugin_init(const tseeder_host_api* host, void** self, char* err, size_t err_len) {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    copy_err(err, err_len, "libcurl global init failed");
    return TSEEDER_ERR;
  }
  auto* p = new (std::nothrow) Plugin{host, {}, {}};
  if (!p) return TSEEDER_ERR;
  p->settings.max_redirects = config_long(host, "engine_http.max_redirects", 10);
  p->settings.connect_timeout_s = config_long(host, "engine_http.connect_timeout_s", 30);
  p->settings.stall_timeout_s = config_long(host, "engine_http.stall_timeout_s", 60);
  p->settings.progress_interval_ms = config_long(host, "jobs.progress_interval_ms", 1000);
  p->settings.connections = static_cast<int>(config_long(host, "engine_http.connections", 4));
  p->settings.split_min_bytes = static_cast<std::uint64_t>(config_long(host, "engine_http.split_min_bytes", 64L << 20));
  p->settings.sidecar_checksums = config_bool(host, "engine_http.sidecar_checksums", true);
  p->pacer.set_rate(static_cast<std::uint64_t>(config_long(host, "engine_http.download_rate_limit", 0)));
  p->settings.engine_pacer = &p->pacer;
  config_text(host, "engine_http.ca_file", p->settings.ca_file);
  std::string allow;
  config_text(host, "allow_private_urls", allow);
  p->settings.allow_private_urls = allow == "true";
  *self = p;
  return TSEEDER_OK;
}

void plugin_shutdown(void* self) {
  delete static_cast<Plugin*>(self);
  curl_global_cleanup();
}

int engine_accepts(void* self, const char* source, char* err, size_t err_len) {
  if (!source) return 0;
  CURLU* u = curl_url();
  if (!u) return 0;
  int ok = 0;
  char* scheme = nullptr;
  char* host = nullptr;
  if (curl_url_set(u, CURLUPART_URL, source, 0) != CURLUE_OK) {
    copy_err(err, err_len, "not a valid URL");
  } else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
             (std::strcmp(scheme, "http") != 0 && std::strcmp(scheme, "https") != 0)) {
    copy_err(err, err_len, "only http and https URLs are supported");
  } else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !host[0]) {
    copy_err(err, err_len, "URL has no host");
    ok = -1;  // an http(s) URL, so this engine's kind of source
  } else if (auto why = static_cast<Plugin*>(self)->settings.allow_private_urls
                            ? std::nullopt
                            : tseeder::net::restricted_ip_literal(host)) {
    copy_err(err, err_len,
             ("URL points at a " + *why +
              " address; URL jobs may not reach loopback, private, link-local or cloud-metadata addresses "
              "(the operator can allow them with allow_private_urls)")
                 .c_str());
    ok = -1;
  } else {
    ok = 1;
  }
  curl_free(scheme);
  curl_free(host);
  curl_url_cleanup(u);
  return ok;
}

tseeder_status engine_start(void* self, const tseeder_job_spec* spec, const tseeder_job_sink* sink, void** handle,
                            char* err, size_t err_len) {
  return start_job(spec, sink, handle, err, err_len, [&]() -> void* {
    auto* p = static_cast<Plugin*>(self);
    Settings settings = p->settings;
    if (has_field(*spec, &tseeder_job_spec::download_limit_bps)) settings.download_limit_bps = spec->download_limit_bps;
    if (has_field(*spec, &tseeder_job_spec::checksum) && spec->checksum) settings.checksum = spec->checksum;
    const bool held = has_field(*spec, &tseeder_job_spec::flags) && (spec->flags & TSEEDER_JOB_HOLD_AFTER_METADATA);
    return new Transfer(settings, spec->source, spec->work_dir, *sink, held);
  });
}

// A URL job is named by its URL's last path segment from the start, as the download will name its
// file unless the server says otherwise (Content-Disposition, a redirect); nothing is fetched here.
int engine_inspect(void*, const char* source, tseeder_source_info* info, char*, size_t) {
  if (!source || !info) return 0;
  std::snprintf(info->name, sizeof info->name, "%s", tseeder::engine_http::url_file_name(source).c_str());
  return 1;
}

void engine_stop(void* handle) {
  delete static_cast<Transfer*>(handle);
}

// A new limit applies to the next bytes; releases the hold after metadata.
tseeder_status engine_configure(void* handle, const tseeder_job_spec* spec) {
  if (!handle || !spec) return TSEEDER_INVALID;
  auto* t = static_cast<Transfer*>(handle);
  t->set_download_limit(has_field(*spec, &tseeder_job_spec::download_limit_bps) ? spec->download_limit_bps : 0);
  if (!has_field(*spec, &tseeder_job_spec::flags) || !(spec->flags & TSEEDER_JOB_HOLD_AFTER_METADATA)) t->release();
  return TSEEDER_OK;
}

const tseeder_engine_api kEngine = {
    .struct_size = sizeof(tseeder_engine_api),
    .accepts = engine_accepts,
    .start = engine_start,
    .pause = nullptr,
    .resume = nullptr,
    .stop = engine_stop,
    .inspect = engine_inspect,
    .configure = engine_configure,
    .describe = nullptr,
    .reannounce = nullptr,
    .forget = nullptr,
    .provider = nullptr,
};

constexpr tseeder_plugin_descriptor kDescriptor = engine_descriptor(
    "engine-http", TSEEDER_ENGINE_VERSION, "HTTP and HTTPS downloads with libcurl: redirects, resume, progress",
    plugin_init, plugin_shutdown, &kEngine);

}  // namespace

extern "C" TSEEDER_PLUGIN_EXPORT const tseeder_plugin_descriptor* tseeder_plugin_entry(const tseeder_host_api*) {
  return &kDescriptor;
}
