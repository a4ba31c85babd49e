// engine-seedr: torrent jobs run on the operator's Seedr.cc account; tseeder pulls the finished
// files over the service's signed URLs. Takes magnet links and .torrent files when it is the
// active provider (the host asks it only then).
#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "janitor.h"
#include "plugin_support.h"
#include "remote_job.h"
#include "torrent_source.h"
#include "tseeder/plugin.h"

namespace {

using namespace tseeder::plugin_support;
using namespace tseeder::engine_seedr;

struct Plugin {
  std::unique_ptr<Account> account;
  RemoteJobSettings settings;
  std::unique_ptr<Janitor> janitor;
};

AccountSettings account_settings(const tseeder_host_api* host) {
  AccountSettings a;
  config_text(host, "seedr.base_url", a.base_url);
  while (!a.base_url.empty() && a.base_url.back() == '/') a.base_url.pop_back();
  config_text(host, "seedr.email", a.email);
  config_text(host, "seedr.password", a.password);
  config_text(host, "seedr.ca_file", a.http.ca_file);
  a.backoff_base_ms = config_long(host, "seedr.retry_base_ms", 500);
  a.recheck_credentials_s = config_long(host, "seedr.auth_retry_s", 60);
  std::string data_dir = "./var";
  config_text(host, "data_dir", data_dir);
  a.secrets_path = data_dir + "/secrets/seedr.json";
  return a;
}

tseeder_status plugin_init(const tseeder_host_api* host, void** self, char* err, size_t err_len) {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    copy_err(err, err_len, "libcurl global init failed");
    return TSEEDER_ERR;
  }
  try {
    auto p = std::make_unique<Plugin>();
    const auto a = account_settings(host);
    p->account = std::make_unique<Account>(a);
    p->settings.poll_interval_ms = config_long(host, "seedr.poll_interval_ms", 5000);
    p->settings.stall_timeout_s = config_long(host, "seedr.stall_timeout_s", 3600);
    p->settings.delete_after_pull = config_bool(host, "seedr.delete_after_pull", true);
    p->settings.progress_interval_ms = config_long(host, "jobs.progress_interval_ms", 1000);
    p->settings.auth_retry_ms = a.recheck_credentials_s * 1000;
    p->settings.retry = a;
    p->settings.pull.http = a.http;
    p->settings.user_fetch.allow_private = config_bool(host, "allow_private_urls", false);
    p->janitor = std::make_unique<Janitor>(*p->account);
    *self = p.release();
    return TSEEDER_OK;
  } catch (const std::exception& e) {
    copy_err(err, err_len, e.what());
    return TSEEDER_ERR;
  }
}

void plugin_shutdown(void* self) {
  delete static_cast<Plugin*>(self);
  curl_global_cleanup();
}

int engine_accepts(void* self, const char* source, char* err, size_t err_len) {
  const std::string s = source ? source : "";
  std::string why;
  if (is_magnet(s)) {
    if (magnet_facts(s, why)) return 1;
  } else if (is_torrent_file(s)) {
    if (torrent_file_facts(s, why)) return 1;
  } else if (is_torrent_url(s)) {
    auto* p = static_cast<Plugin*>(self);
    auto refused = p->settings.user_fetch.allow_private ? std::nullopt : restricted_url_host(s);
    if (!refused) return 1;
    why = "URL points at a " + *refused +
          " address; URL jobs may not reach loopback, private, link-local or cloud-metadata addresses (the "
          "operator can allow them with allow_private_urls)";
  } else {
    copy_err(err, err_len, "not a magnet link, .torrent file or .torrent URL");
    return 0;
  }
  copy_err(err, err_len, why);
  return -1;
}

int engine_inspect(void*, const char* source, tseeder_source_info* info, char* err, size_t err_len) {
  const std::string s = source ? source : "";
  std::string why;
  if (is_torrent_url(s)) return 1;  // known once fetched: the service reports its infohash
  auto facts = is_magnet(s) ? magnet_facts(s, why) : torrent_file_facts(s, why);
  if (!facts) {
    copy_err(err, err_len, why);
    return 0;
  }
  std::snprintf(info->infohash, sizeof info->infohash, "%s", facts->infohash.c_str());
  std::snprintf(info->name, sizeof info->name, "%s", facts->name.c_str());
  return 1;
}

Selection selection_of(const tseeder_job_spec& spec) {
  Selection s;
  if (has_field(spec, &tseeder_job_spec::flags)) s.held = (spec.flags & TSEEDER_JOB_HOLD_AFTER_METADATA) != 0;
  if (has_field(spec, &tseeder_job_spec::download_limit_bps)) s.limit_bps = spec.download_limit_bps;
  if (has_field(spec, &tseeder_job_spec::default_file_priority)) {
    if (spec.file_priorities)
      s.priorities.assign(spec.file_priorities, spec.file_priorities + spec.file_priority_count);
    s.default_priority = spec.default_file_priority;
  }
  return s;
}

tseeder_status engine_start(void* self, const tseeder_job_spec* spec, const tseeder_job_sink* sink, void** handle,
                            char* err, size_t err_len) {
  return start_job(spec, sink, handle, err, err_len, [&]() -> void* {
    auto* p = static_cast<Plugin*>(self);
    return new RemoteJob(*p->account, p->settings, spec->source, spec->work_dir, *sink, selection_of(*spec));
  });
}

void engine_stop(void* handle) {
  delete static_cast<RemoteJob*>(handle);
}

tseeder_status engine_configure(void* handle, const tseeder_job_spec* spec) {
  if (!handle || !spec) return TSEEDER_INVALID;
  static_cast<RemoteJob*>(handle)->select(selection_of(*spec));
  return TSEEDER_OK;
}

void engine_forget(void* self, const char*, const char* work_dir) {
  try {
    auto state = read_state(work_dir ? work_dir : "");
    if (!state) return;
    Json items = Json::array();
    if (state->folder_id)
      items.push_back({{"type", "folder"}, {"id", state->folder_id}});
    else if (state->torrent_id)
      items.push_back({{"type", "torrent"}, {"id", state->torrent_id}});
    if (!items.empty()) static_cast<Plugin*>(self)->janitor->remove(items.dump());
  } catch (...) {
  }
}

long engine_provider(void* self, const char* request, char* json, size_t len) {
  try {
    auto& account = *static_cast<Plugin*>(self)->account;
    const std::string r = request ? request : "";
    std::string out;
    if (r == "status")
      out = account.status();
    else if (r == "login_start")
      out = account.login_start();
    else if (r == "login_poll")
      out = account.login_poll();
    else
      return -1;
    if (out.size() < len) std::memcpy(json, out.c_str(), out.size() + 1);
    return static_cast<long>(out.size());
  } catch (...) {
    return -1;
  }
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
    .forget = engine_forget,
    .provider = engine_provider,
};

constexpr tseeder_plugin_descriptor kDescriptor =
    engine_descriptor("engine-seedr", TSEEDER_ENGINE_VERSION,
                      "Seedr.cc proxy: torrents download on the service, finished files are pulled over HTTPS",
                      plugin_init, plugin_shutdown, &kEngine);

}  // namespace

extern "C" TSEEDER_PLUGIN_EXPORT const tseeder_plugin_descriptor* tseeder_plugin_entry(const tseeder_host_api*) {
  return &kDescriptor;
}
