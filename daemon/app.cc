#include "app.h"

#include <filesystem>

#include "logging.h"
#include "store/migrations.h"

namespace tseeder::daemon {

namespace fs = std::filesystem;

namespace {
constexpr const char* kNode = "local";
}

App::App(boost::asio::io_context& io_ctx, config::Config config) : io(io_ctx), cfg(std::move(config)) {
  fs::create_directories(cfg.data_dir);
  fs::create_directories(cfg.data_dir + "/downloads");
  db = std::make_unique<store::Db>(cfg.data_dir + "/tseeder.db");
  int applied = store::migrate_up(*db);
  if (applied > 0) log(Level::info, "store", "applied migrations", {{"count", applied}});
  storage = std::make_unique<storage::LocalStorage>(cfg.data_dir + "/storage");
  plugins = std::make_unique<plugin::PluginHost>(cfg, [](int level, const std::string& plugin, const std::string& msg) {
    Level l = level >= TSEEDER_LOG_ERROR  ? Level::error
              : level == TSEEDER_LOG_WARN ? Level::warn
              : level == TSEEDER_LOG_INFO ? Level::info
                                          : Level::debug;
    log(l, "plugin", msg, {{"plugin", plugin}});
  });
  plugins->load_directory(cfg.plugin_dir, cfg.plugins_disabled);
  for (const auto& p : plugins->loaded())
    log(Level::info, "plugin", "loaded", {{"plugin", p.name}, {"version", p.version}, {"file", p.origin}});
  for (const auto& r : plugins->refused()) log(Level::error, "plugin", r.reason, {{"file", r.file}});
  jobs = std::make_unique<jobs::JobService>(
      *db, hub, *storage, *plugins, clock,
      jobs::ServicePaths{cfg.data_dir + "/downloads", fs::absolute(cfg.data_dir + "/torrents").string()});
  runner = std::make_unique<jobs::JobRunner>(io, *jobs);
  dispatcher = std::make_unique<queue::Dispatcher>(io, *db, *jobs, *runner, clock, kNode,
                                                   static_cast<std::size_t>(cfg.jobs_max_active));
}

App::~App() = default;

void App::start() {
  int requeued = jobs->recover(kNode);
  if (requeued > 0) log(Level::info, "queue", "re-queued jobs interrupted by the last stop", {{"count", requeued}});
  dispatcher->start();
}

void App::stop() {
  dispatcher->stop();
  jobs->requeue_running("daemon stopping; will resume on next start");
  runner->stop_all();
}

}  // namespace tseeder::daemon
