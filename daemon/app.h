// Everything a running tseederd holds, wired once in app.cc; handlers reach services from here.
#pragma once
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "config/config.h"
#include "core/clock.h"
#include "jobs/job_runner.h"
#include "jobs/job_service.h"
#include "plugin/plugin_host.h"
#include "progress/progress_hub.h"
#include "queue/dispatcher.h"
#include "storage/local_storage.h"
#include "store/db.h"

namespace tseeder::daemon {

class App {
 public:
  App(boost::asio::io_context& io, config::Config cfg);
  ~App();
  void start();
  // Stops engines and leaves running jobs queued for the next start.
  void stop();

  boost::asio::io_context& io;
  config::Config cfg;
  SystemClock clock;
  std::unique_ptr<store::Db> db;
  progress::ProgressHub hub;
  std::unique_ptr<storage::LocalStorage> storage;
  std::unique_ptr<plugin::PluginHost> plugins;
  std::unique_ptr<jobs::JobService> jobs;
  std::unique_ptr<jobs::JobRunner> runner;
  std::unique_ptr<queue::Dispatcher> dispatcher;
};

}  // namespace tseeder::daemon
