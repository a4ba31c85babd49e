// GET /metrics: the Prometheus text format. The store's figures are read on a reader thread; the
// loop's own (requests, streams, plugins, agents, the process) where they are kept.
#include "handlers/handlers.h"
#include "handlers/off_loop.h"

namespace tseeder::daemon::handlers {

Reply metrics(MetricsApi& api, Request&) {
  auto* m = &api.metrics;
  return on_reader<std::string>(
      api.io, api.readers, [m] { return m->store_part(); },
      [m](std::string store) {
        Reply r;
        r.status = 200;
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = m->loop_part() + store;
        return r;
      });
}

}  // namespace tseeder::daemon::handlers
