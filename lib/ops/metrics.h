// /metrics: the daemon's figures in the Prometheus text format. The store's part is read on a
// reader thread; the rest (HTTP, streams, plugins, agents, the process) on the event loop.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "core/clock.h"
#include "fleet/controller.h"
#include "ops/request_metrics.h"
#include "plugin/plugin_host.h"
#include "store/db.h"

namespace tseeder::ops {

struct MetricsParts {
  store::Db& db;
  plugin::PluginHost& plugins;
  const fleet::Controller* fleet;  // a controller's agents; null on a single node
  const RequestMetrics& requests;
  std::function<std::size_t()> streams_open;
  const Clock& clock;
  std::string storage_backend;
  std::int64_t started_ms;
};

class Metrics {
 public:
  explicit Metrics(MetricsParts parts) : p_(std::move(parts)) {}
  std::string store_part();  // reader thread
  std::string loop_part();   // event loop

 private:
  MetricsParts p_;
};

}  // namespace tseeder::ops
