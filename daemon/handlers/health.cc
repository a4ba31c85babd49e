#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

Reply health(SystemApi& api, Request&) {
  // The URL tells a client that found the daemon by its socket where the API answers over TCP
  // (tseeder smoke logs in there: over the socket root is always the operator).
  return Reply::json(200, {{"status", "ok"},
                           {"version", TSEEDER_VERSION},
                           {"activeJobs", api.workers.active()},
                           {"role", api.role},
                           {"url", api.auth.public_url}});
}

Reply plugins_list(SystemApi& api, Request&) {
  Json loaded = Json::array(), refused = Json::array();
  for (const auto& p : api.plugins.loaded())
    loaded.push_back({{"name", p.name},
                      {"version", p.version},
                      {"kind", p.kind},
                      {"description", p.description},
                      {"file", p.origin},
                      {"abi", p.abi}});
  for (const auto& r : api.plugins.refused()) refused.push_back({{"file", r.file}, {"reason", r.reason}});
  return Reply::json(200, {{"plugins", loaded},
                           {"refused", refused},
                           {"abi", std::to_string(TSEEDER_ABI_MAJOR) + "." + std::to_string(TSEEDER_ABI_MINOR)}});
}

}  // namespace tseeder::daemon::handlers
