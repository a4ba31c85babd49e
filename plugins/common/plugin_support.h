// Small helpers every tseeder plugin in this tree shares: error buffers, config lookups through
// the host, argument checks and the engine descriptor. Header-only, C++ inside the plugin only.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "tseeder/plugin.h"

namespace tseeder::plugin_support {

inline void copy_err(char* err, size_t len, const std::string& msg) {
  if (err && len) std::snprintf(err, len, "%s", msg.c_str());
}

inline bool config_text(const tseeder_host_api* host, const char* key, std::string& out) {
  char buf[4096];
  if (!host || !host->config_get || !host->config_get(host->host_ctx, key, buf, sizeof buf)) return false;
  out = buf;
  return true;
}

inline long config_long(const tseeder_host_api* host, const char* key, long fallback) {
  std::string v;
  return config_text(host, key, v) ? std::strtol(v.c_str(), nullptr, 10) : fallback;
}

inline bool config_bool(const tseeder_host_api* host, const char* key, bool fallback) {
  std::string v;
  return config_text(host, key, v) ? v == "true" : fallback;
}

// start() may only run with a complete spec and sink.
inline bool valid_start_args(const tseeder_job_spec* spec, const tseeder_job_sink* sink, void** handle, char* err,
                             size_t err_len) {
  if (spec && sink && handle && spec->source && spec->work_dir && sink->failed && sink->completed && sink->progress &&
      sink->metadata_ready)
    return true;
  copy_err(err, err_len, "incomplete job spec or sink");
  return false;
}

// start() of an engine: checks the arguments, then `make()` gives the job's handle; an exception
// (none may cross the ABI) becomes the error text.
template <typename Make>
tseeder_status start_job(const tseeder_job_spec* spec, const tseeder_job_sink* sink, void** handle, char* err,
                         size_t err_len, Make make) {
  if (!valid_start_args(spec, sink, handle, err, err_len)) return TSEEDER_INVALID;
  try {
    *handle = make();
    return TSEEDER_OK;
  } catch (const std::exception& e) {
    copy_err(err, err_len, e.what());
    return TSEEDER_ERR;
  }
}

// Whether a struct from the host (a job spec, a job sink, a source info) is large enough to
// carry `field`: hosts older than the plugin send smaller structs, saying so in struct_size.
template <typename S, typename T>
bool has_field(const S& s, T S::*field) {
  static const S probe{};
  const auto offset =
      static_cast<std::size_t>(reinterpret_cast<const char*>(&(probe.*field)) - reinterpret_cast<const char*>(&probe));
  return s.struct_size >= offset + sizeof(T);
}

// Whether the host's sink carries `callback` and set it.
template <typename F>
bool sink_offers(const tseeder_job_sink& sink, F tseeder_job_sink::*callback) {
  return has_field(sink, callback) && sink.*callback != nullptr;
}

constexpr tseeder_plugin_descriptor engine_descriptor(const char* name, const char* version, const char* description,
                                                      decltype(tseeder_plugin_descriptor::init) init,
                                                      decltype(tseeder_plugin_descriptor::shutdown) shutdown,
                                                      const tseeder_engine_api* engine) {
  return {sizeof(tseeder_plugin_descriptor),
          TSEEDER_ABI_MAJOR,
          TSEEDER_ABI_MINOR,
          TSEEDER_KIND_ENGINE,
          name,
          version,
          description,
          init,
          shutdown,
          engine,
          nullptr,
          nullptr};
}

}  // namespace tseeder::plugin_support
