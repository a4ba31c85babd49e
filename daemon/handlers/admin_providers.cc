// /admin/providers: where torrent jobs run (local or a remote service), switched by staff with a
// reason and a ticket, and the versioned history of the switches.
#include <map>

#include "audit/config_history.h"
#include "handlers/handlers.h"
#include "handlers/off_loop.h"
#include "handlers/paging.h"
#include "jobs/providers.h"

namespace tseeder::daemon::handlers {

namespace {
using Accounts = std::map<std::string, Json>;
}

// The remote accounts are asked off the loop; the store is read on it.
Reply admin_providers_show(ProvidersApi& api, Request&) {
  return off_loop<Accounts>(
      api.io, api.outbound, {},
      [&api] {
        Accounts out;
        for (const auto& p : jobs::known_providers())
          if (auto a = api.providers.account(p.name)) out[p.name] = *a;
        return out;
      },
      [&api](Accounts accounts) {
        Json shown = api.providers.describe();
        for (auto& p : shown["providers"])
          if (auto it = accounts.find(p["name"].get<std::string>()); it != accounts.end()) p["status"] = it->second;
        return Reply::json(200, shown);
      });
}

namespace {

Reply login_step(ProvidersApi& api, Request& req, const char* step) {
  auto body = parse_json_object(req.body());
  reject_unknown_fields(body, {"provider"});
  const auto provider = required_string(body, "provider");
  return off_loop<Json>(
      api.io, api.outbound, {}, [&api, provider, step] { return api.providers.login(provider, step); },
      [&api, provider, who = req.who(), meta = req.meta](Json answer) {
        if (answer.value("status", std::string()) == "approved") api.providers.record_login(who, provider, meta);
        return Reply::json(200, answer);
      });
}

}  // namespace

Reply admin_providers_login(ProvidersApi& api, Request& req) {
  return login_step(api, req, "login_start");
}

Reply admin_providers_login_poll(ProvidersApi& api, Request& req) {
  return login_step(api, req, "login_poll");
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
  for (const auto& c : rows) list.push_back(audit::to_json(c));
  return Reply::json(200, {{"changes", std::move(list)}, {"next", next}});
}

}  // namespace tseeder::daemon::handlers
