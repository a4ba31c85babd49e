#include "plugin/plugin_host.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "config/config.h"
#include "core/error.h"
#include "plugin/chain_watcher.h"
#include "plugin/engine.h"
#include "plugin/scanner.h"

namespace tseeder::plugin {
namespace {

std::string version_text(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace

struct PluginHost::HostContext {
  LogFn* log;
  const config::Config* cfg;
};

using HostContext = PluginHost::HostContext;

static void ctx_log(void* ctx, int level, const char* plugin, const char* message) {
  try {
    (*static_cast<HostContext*>(ctx)->log)(level, plugin ? plugin : "?", message ? message : "");
  } catch (...) {
  }
}

static int ctx_config_get(void* ctx, const char* key, char* buf, size_t buf_len) {
  try {
    if (!key || !buf || buf_len == 0) return 0;
    auto v = static_cast<HostContext*>(ctx)->cfg->get_text(key);
    if (!v || v->size() + 1 > buf_len) return 0;
    std::memcpy(buf, v->c_str(), v->size() + 1);
    return 1;
  } catch (...) {
    return 0;
  }
}

PluginHost::PluginHost(const config::Config& cfg, LogFn log) : cfg_(cfg), log_(std::move(log)) {
  ctx_ = std::make_unique<HostContext>(HostContext{&log_, &cfg_});
  api_ = tseeder_host_api{
      sizeof(tseeder_host_api), TSEEDER_ABI_MAJOR, TSEEDER_ABI_MINOR, ctx_.get(), ctx_log, ctx_config_get};
}

// Engines' jobs must be stopped before this runs; the shared objects stay mapped.
PluginHost::~PluginHost() {
  engines_.clear();
  for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) it->shutdown(it->self);
}

void PluginHost::load_directory(const std::string& dir, const std::vector<std::string>& disabled) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    refused_.push_back({dir, "plugin directory does not exist"});
    return;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".so") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    if (std::find(disabled.begin(), disabled.end(), f.stem().string()) != disabled.end()) continue;
    try {
      load_file(f.string());
    } catch (const Error& e) {
      refused_.push_back({f.string(), e.message()});
    }
  }
}

void PluginHost::load_file(const std::string& path) {
  // RTLD_LOCAL keeps each plugin's symbols (and its libraries') to itself.
  void* so = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!so) throw Error(Errc::plugin, "plugin " + path + ": cannot load: " + dlerror());
  auto entry = reinterpret_cast<tseeder_plugin_entry_fn>(dlsym(so, TSEEDER_PLUGIN_ENTRY_SYMBOL));
  if (!entry) throw Error(Errc::plugin, "plugin " + path + ": no " TSEEDER_PLUGIN_ENTRY_SYMBOL " symbol");
  // Never dlclose: threads or callbacks of the plugin may outlive any check we could make.
  add_descriptor(entry(&api_), path);
}

void PluginHost::add_static(tseeder_plugin_entry_fn entry) {
  add_descriptor(entry(&api_), "static");
}

void PluginHost::add_descriptor(const tseeder_plugin_descriptor* raw, const std::string& origin) {
  if (!raw) throw Error(Errc::plugin, "plugin " + origin + ": entry returned no descriptor");
  if (raw->struct_size < offsetof(tseeder_plugin_descriptor, abi_minor) + sizeof(uint32_t))
    throw Error(Errc::plugin, "plugin " + origin + ": descriptor too small to carry a version");
  const std::string host_v = version_text(TSEEDER_ABI_MAJOR, TSEEDER_ABI_MINOR);
  const std::string plug_v = version_text(raw->abi_major, raw->abi_minor);
  if (raw->abi_major != TSEEDER_ABI_MAJOR || raw->abi_minor > TSEEDER_ABI_MINOR)
    throw Error(Errc::plugin,
                "plugin " + origin + " is built for plugin ABI " + plug_v + " but this tseederd speaks ABI " + host_v,
                "rebuild the plugin against this version's plugin.h");
  if (raw->struct_size > sizeof(tseeder_plugin_descriptor))
    throw Error(Errc::plugin, "plugin " + origin + ": descriptor larger than ABI " + host_v + " allows");
  tseeder_plugin_descriptor d{};
  std::memcpy(&d, raw, raw->struct_size);
  if (!d.name || !d.init || !d.shutdown)
    throw Error(Errc::plugin, "plugin " + origin + ": descriptor lacks name, init or shutdown");
  for (const auto& info : infos_)
    if (info.name == d.name)
      throw Error(Errc::plugin, "plugin " + origin + ": a plugin named " + d.name + " is already loaded");

  tseeder_engine_api engine{};
  tseeder_scanner_api scanner{};
  tseeder_chain_watcher_api watcher{};
  if (d.kind == TSEEDER_KIND_ENGINE) {
    if (!d.engine || d.engine->struct_size == 0 || d.engine->struct_size > sizeof(engine))
      throw Error(Errc::plugin, "plugin " + origin + ": engine table missing or of unknown size");
    std::memcpy(&engine, d.engine, d.engine->struct_size);
    if (!engine.accepts || !engine.start || !engine.stop)
      throw Error(Errc::plugin, "plugin " + origin + ": engine table lacks accepts, start or stop");
  } else if (d.kind == TSEEDER_KIND_SCANNER) {
    if (!d.scanner || d.scanner->struct_size == 0 || d.scanner->struct_size > sizeof(scanner) || !d.scanner->scan)
      throw Error(Errc::plugin, "plugin " + origin + ": scanner table missing, of unknown size or without scan");
    std::memcpy(&scanner, d.scanner, d.scanner->struct_size);
  } else if (d.kind == TSEEDER_KIND_CHAIN_WATCHER) {
    if (!d.chain_watcher || d.chain_watcher->struct_size == 0 || d.chain_watcher->struct_size > sizeof(watcher))
      throw Error(Errc::plugin, "plugin " + origin + ": chain watcher table missing or of unknown size");
    std::memcpy(&watcher, d.chain_watcher, d.chain_watcher->struct_size);
    if (!watcher.watches || !watcher.payments)
      throw Error(Errc::plugin, "plugin " + origin + ": chain watcher table lacks watches or payments");
  } else {
    throw Error(Errc::plugin, "plugin " + origin + ": unknown kind " + std::to_string(d.kind));
  }

  void* self = nullptr;
  char err[512] = {0};
  if (d.init(&api_, &self, err, sizeof err) != TSEEDER_OK)
    throw Error(Errc::plugin, "plugin " + origin + ": init failed: " + (err[0] ? err : "no reason given"));

  instances_.push_back({d.shutdown, self});
  const char* kind = d.kind == TSEEDER_KIND_ENGINE    ? "engine"
                     : d.kind == TSEEDER_KIND_SCANNER ? "scanner"
                                                      : "chain-watcher";
  infos_.push_back({d.name, d.version ? d.version : "?", kind, d.description ? d.description : "", origin, plug_v});
  if (d.kind == TSEEDER_KIND_ENGINE) {
    engines_.push_back(std::make_unique<Engine>(d.name, engine, self));
    engine_ptrs_.push_back(engines_.back().get());
  } else if (d.kind == TSEEDER_KIND_SCANNER) {
    scanners_.push_back(std::make_unique<Scanner>(d.name, scanner, self));
  } else {
    watchers_.push_back(std::make_unique<ChainWatcher>(d.name, watcher, self));
  }
}

const ChainWatcher* PluginHost::watcher_for(const std::string& network) const {
  for (const auto& w : watchers_)
    if (w->watches(network)) return w.get();
  return nullptr;
}

Engine* PluginHost::find_engine(const std::string& name) const {
  for (auto* e : engine_ptrs_)
    if (e->name() == name) return e;
  return nullptr;
}

Engine* PluginHost::engine_for(const std::string& source, std::string& why) const {
  if (engine_ptrs_.empty()) {
    why = "no engine plugin is loaded";
    return nullptr;
  }
  // The preferred engine is asked first, then the rest in load order.
  std::vector<Engine*> order = engine_ptrs_;
  if (auto* first = preferred_.empty() ? nullptr : find_engine(preferred_))
    std::stable_partition(order.begin(), order.end(), [first](Engine* e) { return e == first; });
  // An engine that knows the kind of source has the telling reason; the others only say "not mine".
  std::string others;
  for (auto* e : order) {
    if (std::find(withheld_.begin(), withheld_.end(), e->name()) != withheld_.end()) continue;
    std::string reason;
    auto verdict = e->accepts(source, reason);
    if (verdict == Engine::Verdict::accepted) return e;
    std::string& into = verdict == Engine::Verdict::unusable ? why : others;
    into += (into.empty() ? "" : "; ") + e->name() + ": " + reason;
  }
  if (why.empty()) why = others;
  return nullptr;
}

}  // namespace tseeder::plugin
