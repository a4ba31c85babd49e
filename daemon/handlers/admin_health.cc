// /admin/health: every part the service stands on, checked at the call. The store's checks run on
// a reader thread while the network's run on a worker; none waits on the event loop.
#include <future>
#include <memory>

#include "handlers/handlers.h"
#include "handlers/off_loop.h"

namespace tseeder::daemon::handlers {

Reply admin_health(HealthApi& api, Request&) {
  using Checks = std::vector<ops::Check>;
  auto* health = &api.health;
  auto* readers = &api.readers;
  return off_loop<Checks>(
      api.io, api.outbound, std::chrono::milliseconds(0),
      [health, readers] {
        // Dropped unrun at shutdown: the promise goes with it and get() throws broken_promise.
        auto done = std::make_shared<std::promise<Checks>>();
        auto store = done->get_future();
        readers->post([health, done] {
          try {
            done->set_value(health->store_checks());
          } catch (...) {
            done->set_exception(std::current_exception());
          }
        });
        Checks remote = health->remote_checks();
        Checks all = store.get();
        all.insert(all.end(), remote.begin(), remote.end());
        return all;
      },
      [health](Checks all) {
        auto local = health->local_checks();
        all.insert(all.end(), local.begin(), local.end());
        return Reply::json(200, health->report(std::move(all)));
      });
}

}  // namespace tseeder::daemon::handlers
