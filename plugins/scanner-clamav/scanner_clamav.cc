// The ClamAV scanner plugin: clamd over its Unix socket when one is configured, else clamscan.
#include <memory>
#include <string>

#include "clamd_client.h"
#include "clamscan_runner.h"
#include "plugin_support.h"

namespace {

using namespace tseeder;
using plugin_support::config_long;
using plugin_support::config_text;
using plugin_support::copy_err;

struct Settings {
  std::string socket;
  std::string clamscan;
  std::string database;
  int timeout_s = 600;
};

struct State {
  const tseeder_host_api* host;
  Settings settings;
};

void log(const State& s, int level, const std::string& msg) {
  if (s.host && s.host->log) s.host->log(s.host->host_ctx, level, "scanner-clamav", msg.c_str());
}

tseeder_status init(const tseeder_host_api* host, void** self, char* err, size_t err_len) {
  if (!self) {
    copy_err(err, err_len, "no place for the plugin state");
    return TSEEDER_INVALID;
  }
  auto state = std::make_unique<State>();
  state->host = host;
  config_text(host, "scanner_clamav.socket", state->settings.socket);
  if (!config_text(host, "scanner_clamav.clamscan", state->settings.clamscan)) state->settings.clamscan = "clamscan";
  config_text(host, "scanner_clamav.database", state->settings.database);
  state->settings.timeout_s = static_cast<int>(config_long(host, "scanner_clamav.timeout_s", 600));
  if (!state->settings.socket.empty()) {
    if (tseeder::clamav::clamd_ping(state->settings.socket, 5))
      log(*state, TSEEDER_LOG_INFO, "clamd answers at " + state->settings.socket);
    else
      log(*state, TSEEDER_LOG_WARN,
          "clamd does not answer at " + state->settings.socket + " yet; files are stored unscanned until it does");
  } else if (const auto dir = tseeder::clamav::signature_dir(state->settings.database);
             !tseeder::clamav::has_signatures(dir)) {
    // A fresh ClamAV install has no signatures until freshclam has run: every scan would fail.
    log(*state, TSEEDER_LOG_WARN,
        "no ClamAV signature database in " + dir +
            ": every finished download will be stored with scan status error; fetch the signatures with "
            "`freshclam` (Debian: apt-get install clamav-freshclam), or point scanner_clamav.database at them");
  }
  *self = state.release();
  return TSEEDER_OK;
}

void shutdown(void* self) {
  delete static_cast<State*>(self);
}

tseeder_scan_verdict scan(void* self, const char* path, char* detail, size_t detail_len) {
  if (!self || !path) {
    copy_err(detail, detail_len, "no file given");
    return TSEEDER_SCAN_ERROR;
  }
  try {
    const auto& s = static_cast<State*>(self)->settings;
    auto v = s.socket.empty() ? tseeder::clamav::run_clamscan(s.clamscan, s.database, path, s.timeout_s)
                              : tseeder::clamav::clamd_instream(s.socket, path, s.timeout_s);
    copy_err(detail, detail_len, v.detail);
    return v.kind;
  } catch (const std::exception& e) {
    copy_err(detail, detail_len, e.what());
    return TSEEDER_SCAN_ERROR;
  }
}

constexpr tseeder_scanner_api kScanner{sizeof(tseeder_scanner_api), scan};

constexpr tseeder_plugin_descriptor kDescriptor{sizeof(tseeder_plugin_descriptor),
                                                TSEEDER_ABI_MAJOR,
                                                TSEEDER_ABI_MINOR,
                                                TSEEDER_KIND_SCANNER,
                                                "scanner-clamav",
                                                TSEEDER_SCANNER_VERSION,
                                                "ClamAV: clamd INSTREAM over a Unix socket, or clamscan",
                                                init,
                                                shutdown,
                                                nullptr,
                                                &kScanner,
                                                nullptr};

}  // namespace

extern "C" TSEEDER_PLUGIN_EXPORT const tseeder_plugin_descriptor* tseeder_plugin_entry(const tseeder_host_api*) {
  return &kDescriptor;
}
