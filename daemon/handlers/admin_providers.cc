// /admin/providers: where torrent jobs run (local or a remote service), switched by staff with a
// reason and a ticket, and the versioned history of the switches.
#include "handlers/handlers.h"
#include "handlers/paging.h"
#include "jobs/providers.h"

namespace tseeder::daemon::handlers {

Reply admin_providers_show(ProvidersApi& api, Request&) {
  return Reply::json(200, api.providers.describe());
}

Reply admin_providers_switch(ProvidersApi& api, Request& req) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"provider", "reason", "ticketId"});
  auto done = api.providers.switch_to(req.who(), required_string(body, "provider"), justification(body), req.meta);
  Json in_flight = Json::array();
  for (const auto& job : done.in_flight)
    in_flight.push_back({{"id", job.id.value},
                         {"userId", job.user_id.value},
                         {"status", to_string(job.status)},
                         {"name", or_null(job.name)}});
  return Reply::json(200, {{"version", done.version},
                           {"from", done.from},
                           {"to", done.to},
                           // They finish on the provider they started on.
                           {"inFlight", std::move(in_flight)}});
}

Reply admin_providers_history(ProvidersApi& api, Request& req) {
  auto page = paging_query(req, 50, 1000, Offset::refused);
  auto rows = api.providers.history(page.after ? std::optional(page.after->at) : std::nullopt, page.fetch());
  Json next = next_page(req, page, rows, [](const store::SettingChange& c) { return store::Cursor{c.version, ""}; });
  Json list = Json::array();
  for (const auto& c : rows) list.push_back(jobs::to_json(c));
  return Reply::json(200, {{"changes", std::move(list)}, {"next", next}});
}

}  // namespace tseeder::daemon::handlers
