// Loads plugins (dlopen from one directory, or statically linked descriptors), checks their ABI
// and keeps them for the life of the process (never dlclose'd while running).
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tseeder/plugin.h"

namespace tseeder::config {
struct Config;
}

namespace tseeder::plugin {

class Engine;
class Scanner;
class ChainWatcher;

struct PluginInfo {
  std::string name;
  std::string version;
  std::string kind;  // "engine" | "scanner" | "chain-watcher"
  std::string description;
  std::string origin;  // file path, or "static"
  std::string abi;     // "1.0"
};

struct RefusedPlugin {
  std::string file;
  std::string reason;
};

using LogFn = std::function<void(int level, const std::string& plugin, const std::string& msg)>;

class PluginHost {
 public:
  PluginHost(const config::Config& cfg, LogFn log);
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads every *.so in `dir` except disabled names. A plugin that fails its checks is recorded
  // in refused() and skipped; the others still load.
  void load_directory(const std::string& dir, const std::vector<std::string>& disabled);
  // Loads one file; throws Error(Errc::plugin) naming the file and the reason.
  void load_file(const std::string& path);
  // Registers a statically linked plugin through the same checks.
  void add_static(tseeder_plugin_entry_fn entry);

  const std::vector<PluginInfo>& loaded() const { return infos_; }
  const std::vector<RefusedPlugin>& refused() const { return refused_; }
  const std::vector<Engine*>& engines() const { return engine_ptrs_; }
  Engine* find_engine(const std::string& name) const;
  // The scanner finished downloads go through: the first one loaded; nullptr when none is.
  const Scanner* scanner() const { return scanners_.empty() ? nullptr : scanners_.front().get(); }
  // The chain watcher that follows payments on `network`: the first loaded; nullptr when none does.
  const ChainWatcher* watcher_for(const std::string& network) const;
  bool has_watchers() const { return !watchers_.empty(); }
  // The first engine that accepts `source`, the preferred one tried first; nullptr with the
  // reasons in `why` if none does.
  Engine* engine_for(const std::string& source, std::string& why) const;
  // The engine new jobs try first (the active provider's); others take what it does not accept,
  // except the `withheld` ones (the engines of providers not active now), which take nothing.
  void prefer_engine(const std::string& name, std::vector<std::string> withheld = {}) {
    preferred_ = name;
    withheld_ = std::move(withheld);
  }

 private:
  void add_descriptor(const tseeder_plugin_descriptor* raw, const std::string& origin);

  struct Instance {
    void (*shutdown)(void*);
    void* self;
  };

 public:
  struct HostContext;

 private:
  const config::Config& cfg_;
  LogFn log_;
  std::unique_ptr<HostContext> ctx_;
  tseeder_host_api api_{};
  std::vector<Instance> instances_;
  std::vector<PluginInfo> infos_;
  std::vector<RefusedPlugin> refused_;
  std::vector<std::unique_ptr<Engine>> engines_;
  std::vector<Engine*> engine_ptrs_;
  std::string preferred_;
  std::vector<std::string> withheld_;
  std::vector<std::unique_ptr<Scanner>> scanners_;
  std::vector<std::unique_ptr<ChainWatcher>> watchers_;
};

}  // namespace tseeder::plugin
