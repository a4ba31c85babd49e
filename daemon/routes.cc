// Every route of the API in one table, with who may call it, what it audits and which rate
// limit it draws from.
#include "handler_apis.h"
#include "handlers/handlers.h"
#include "http/router.h"

namespace tseeder::daemon {

namespace {
constexpr std::size_t kJsonBodyLimit = 64 * 1024;
// A base64 .torrent of up to 4 MiB (jobs::kMaxTorrentBytes) with room for the JSON around it;
// also fits a selection change for 100,000 files.
constexpr std::size_t kJobCreateBodyLimit = 6 * 1024 * 1024;
// A card processor's webhook event; past this it is refused unread (413).
constexpr std::size_t kWebhookBodyLimit = 1024 * 1024;
// A batch of agent events: a file list of 100,000 files fits.
constexpr std::size_t kFleetEventsLimit = 32 * 1024 * 1024;
// A heartbeat lists every run an agent holds (up to 1000 downloads, more finishing or seeding).
constexpr std::size_t kFleetHeartbeatLimit = 1024 * 1024;
template <typename Api>
using HandlerOf = Reply (*)(Api&, Request&);

// A handler bound to the services of `Api`, made from the daemon's when routes_for binds it.
template <typename Api>
BindHandler with(HandlerOf<Api> f) {
  return [f](App& app) -> Handler {
    return [f, api = std::make_shared<Api>(api_for<Api>(app))](Request& req) { return f(*api, req); };
  };
}

// A controller's agents, or the answers of a daemon that has none.
BindHandler agents(HandlerOf<handlers::AgentsAdminApi> f, HandlerOf<handlers::NoAgentsApi> none) {
  return [f, none](App& app) { return app.fleet ? with(f)(app) : with(none)(app); };
}

template <typename Api>
Route r(http::verb m, std::string_view pattern, HandlerOf<Api> h, std::size_t body_limit, auth::Access access,
        std::string_view audit = {}, Limit limit = Limit::api) {
  return Route{m, pattern, with(h), body_limit, access, audit, limit};
}

Route r(http::verb m, std::string_view pattern, BindHandler bind, std::size_t body_limit, auth::Access access,
        std::string_view audit = {}, Limit limit = Limit::api) {
  return Route{m, pattern, std::move(bind), body_limit, access, audit, limit};
}

Route reads(Route route) {
  route.reads_store_only = true;
  return route;
}

Route justified(Route route) {
  route.justified = true;
  return route;
}

Route wire(Route route) {
  route.only_role = "controller";
  route.bind_before_body = [](App& app) -> BeforeBody {
    return [api = std::make_shared<handlers::FleetWireApi>(api_for<handlers::FleetWireApi>(app))](Request& req) {
      handlers::fleet_signature_headers(*api, req);
    };
  };
  return route;
}

}  // namespace

std::vector<Route> all_routes() {
  using auth::Access;
  using http::verb;
  namespace h = handlers;
  constexpr auto J = kJsonBodyLimit;
  // Routes with an empty audit action either only read, or their service writes the entry
  // itself (accounts: it knows the outcome and the target better).
  // Agent routes on a daemon without agents (role both) list none and refuse actions as a
  // conflict, rather than vanish: staff scripts learn why (docs/decisions.md).
  return {
      r(verb::get, "/health", h::health, 0, Access::anyone, "", Limit::none),
      r(verb::get, "/plugins", h::plugins_list, 0, Access::user),
      r(verb::get, "/usage", h::usage, 0, Access::user),

      r(verb::post, "/auth/register", h::auth_register, J, Access::anyone, "", Limit::registration),
      r(verb::post, "/auth/verify", h::auth_verify, J, Access::anyone, "", Limit::mail),
      r(verb::get, "/auth/verify", h::auth_verify, 0, Access::anyone, "", Limit::mail),
      r(verb::post, "/auth/verify-resend", h::auth_verify_resend, J, Access::anyone, "", Limit::mail),
      r(verb::post, "/auth/login", h::auth_login, J, Access::anyone, "", Limit::login),
      r(verb::post, "/auth/logout", h::auth_logout, J, Access::user, "auth.logout"),
      r(verb::get, "/auth/me", h::auth_me, 0, Access::user),
      r(verb::post, "/auth/password", h::auth_password, J, Access::user, "", Limit::login),
      r(verb::post, "/auth/reset-request", h::auth_reset_request, J, Access::anyone, "", Limit::mail),
      r(verb::post, "/auth/reset-confirm", h::auth_reset_confirm, J, Access::anyone, "", Limit::mail),
      reads(r(verb::get, "/auth/sessions", h::sessions_list, 0, Access::user)),
      r(verb::delete_, "/auth/sessions/{id}", h::sessions_revoke, 0, Access::user, "session.revoke"),
      r(verb::post, "/auth/api-keys", h::api_keys_create, J, Access::user, "apikey.create"),
      reads(r(verb::get, "/auth/api-keys", h::api_keys_list, 0, Access::user)),
      r(verb::delete_, "/auth/api-keys/{id}", h::api_keys_revoke, 0, Access::user, "apikey.revoke"),

      r(verb::post, "/jobs", h::jobs_create, kJobCreateBodyLimit, Access::user, "job.create"),
      reads(r(verb::get, "/jobs", h::jobs_list, 0, Access::user)),
      reads(r(verb::get, "/jobs/{id}", h::jobs_get, 0, Access::user)),
      r(verb::patch, "/jobs/{id}", h::jobs_patch, J, Access::user, "job.update"),
      r(verb::delete_, "/jobs/{id}", h::jobs_delete, 0, Access::user, "job.delete"),
      r(verb::post, "/jobs/{id}/pause", h::jobs_pause, J, Access::user, "job.pause"),
      r(verb::post, "/jobs/{id}/resume", h::jobs_resume, J, Access::user, "job.resume"),
      r(verb::post, "/jobs/{id}/cancel", h::jobs_cancel, J, Access::user, "job.cancel"),
      r(verb::post, "/jobs/{id}/retry", h::jobs_retry, J, Access::user, "job.retry"),
      r(verb::get, "/jobs/{id}/trackers", h::jobs_trackers, 0, Access::user),
      r(verb::get, "/jobs/{id}/peers", h::jobs_peers, 0, Access::user),
      r(verb::post, "/jobs/{id}/reannounce", h::jobs_reannounce, J, Access::user, "job.reannounce"),
      reads(r(verb::get, "/jobs/{id}/files", h::job_files, 0, Access::user)),
      r(verb::patch, "/jobs/{id}/files", h::job_files_patch, kJobCreateBodyLimit, Access::user, "job.files"),
      r(verb::get, "/jobs/{id}/files/{fileId}/content", h::job_file_content, 0, Access::user),
      r(verb::get, "/jobs/{id}/files/{fileId}/url", h::job_file_url, 0, Access::user),
      r(verb::get, "/jobs/{id}/zip", h::job_zip, 0, Access::user),
      r(verb::get, "/jobs/{id}/events", h::job_events, 0, Access::user),

      r(verb::get, "/billing/prices", h::billing_prices, 0, Access::user),
      r(verb::post, "/billing/crypto/orders", h::billing_orders_create, J, Access::user),
      r(verb::get, "/billing/crypto/orders", h::billing_orders_list, 0, Access::user),
      r(verb::get, "/billing/crypto/orders/{id}", h::billing_orders_get, 0, Access::user),
      r(verb::post, "/billing/crypto/orders/{id}/cancel", h::billing_orders_cancel, J, Access::user),
      r(verb::get, "/billing/crypto/orders/{id}/qr.svg", h::billing_order_qr_svg, 0, Access::user),
      r(verb::get, "/billing/crypto/orders/{id}/qr.png", h::billing_order_qr_png, 0, Access::user),
      r(verb::post, "/billing/checkout", h::billing_checkout, J, Access::user),
      r(verb::post, "/billing/portal", h::billing_portal, J, Access::user),
      // The processor signs each event; its body is read whole before the signature is checked.
      r(verb::post, "/billing/webhook", h::billing_webhook, kWebhookBodyLimit, Access::anyone, "", Limit::none),

      // The token is the credential: whoever holds a link may fetch the file until it expires.
      r(verb::get, "/dl/{token}", h::download, 0, Access::anyone),

      r(verb::post, "/admin/bootstrap", h::admin_bootstrap, J, Access::superadmin),
      reads(r(verb::get, "/admin/users", h::admin_users_list, 0, Access::support)),
      r(verb::post, "/admin/users", h::admin_users_add, J, Access::admin),
      reads(r(verb::get, "/admin/users/{id}", h::admin_users_get, 0, Access::support)),
      justified(r(verb::delete_, "/admin/users/{id}", h::admin_users_delete, J, Access::admin)),
      justified(r(verb::post, "/admin/users/{id}/role", h::admin_users_role, J, Access::admin)),

      justified(r(verb::post, "/admin/users/{id}/suspend", h::admin_users_suspend, J, Access::admin)),
      r(verb::post, "/admin/users/{id}/unsuspend", h::admin_users_unsuspend, J, Access::admin),
      justified(r(verb::post, "/admin/users/{id}/force-logout", h::admin_users_force_logout, J, Access::admin)),
      justified(r(verb::post, "/admin/users/{id}/plan", h::admin_users_plan, J, Access::admin)),

      r(verb::get, "/admin/plans", h::admin_plans_list, 0, Access::support),
      justified(r(verb::patch, "/admin/plans/{id}", h::admin_plans_update, J, Access::admin)),

      reads(r(verb::get, "/admin/blocklist", h::admin_blocklist_list, 0, Access::support)),
      justified(r(verb::post, "/admin/blocklist", h::admin_blocklist_add, J, Access::admin)),

      justified(r(verb::delete_, "/admin/blocklist/{infohash}", h::admin_blocklist_remove, J, Access::admin)),

      reads(r(verb::get, "/admin/dlq", h::admin_dlq_list, 0, Access::support)),
      justified(r(verb::post, "/admin/dlq/{id}/replay", h::admin_dlq_replay, J, Access::admin)),
      reads(r(verb::get, "/admin/search", h::admin_search, 0, Access::support)),
      r(verb::get, "/admin/health", h::admin_health, 0, Access::support),
      r(verb::get, "/admin/wallets", h::admin_wallets_list, 0, Access::support),
      r(verb::post, "/admin/wallets", h::admin_wallets_add, J, Access::admin),
      justified(r(verb::post, "/admin/wallets/{id}/disable", h::admin_wallets_disable, J, Access::admin)),
      r(verb::get, "/admin/prices", h::admin_prices_list, 0, Access::support),
      r(verb::put, "/admin/prices/{plan}", h::admin_prices_set, J, Access::admin),
      r(verb::get, "/admin/rates", h::admin_rates_list, 0, Access::support),
      r(verb::put, "/admin/rates/{coin}", h::admin_rates_set, J, Access::admin),
      r(verb::get, "/admin/orders", h::admin_orders_list, 0, Access::support),
      justified(r(verb::post, "/admin/orders/{id}/confirm", h::admin_orders_confirm, J, Access::admin)),
      r(verb::get, "/admin/payments", h::admin_payments_list, 0, Access::support),
      // Over the socket and for admin keys; metrics.listen serves it to anyone on its own address.
      r(verb::get, "/metrics", h::metrics, 0, Access::admin),
      reads(r(verb::get, "/admin/config-history", h::admin_config_history, 0, Access::support)),
      reads(r(verb::get, "/admin/config-history/diff", h::admin_config_diff, 0, Access::support)),
      reads(r(verb::get, "/admin/jobs", h::admin_jobs_list, 0, Access::support)),
      reads(r(verb::get, "/admin/jobs/{id}", h::admin_jobs_show, 0, Access::support)),
      justified(r(verb::post, "/admin/jobs/{id}/terminate", h::admin_jobs_terminate, J, Access::admin)),
      r(verb::get, "/admin/providers", h::admin_providers_show, 0, Access::support),
      justified(r(verb::post, "/admin/providers/switch", h::admin_providers_switch, J, Access::admin)),
      r(verb::get, "/admin/providers/history", h::admin_providers_history, 0, Access::support),
      r(verb::post, "/admin/providers/login", h::admin_providers_login, J, Access::admin),
      r(verb::post, "/admin/providers/login/poll", h::admin_providers_login_poll, J, Access::admin),
      r(verb::get, "/admin/fleet/join-tokens", h::admin_fleet_tokens_list, 0, Access::admin),
      r(verb::post, "/admin/fleet/join-tokens", h::admin_fleet_tokens_create, J, Access::admin),
      r(verb::get, "/admin/fleet/agents", agents(h::admin_fleet_agents_list, h::no_agents_list), 0, Access::support),
      r(verb::post, "/admin/fleet/agents/{id}/drain", agents(h::admin_fleet_agent_drain, h::no_agent_action), J,
        Access::admin, "fleet.agent.drain"),
      r(verb::post, "/admin/fleet/agents/{id}/undrain", agents(h::admin_fleet_agent_undrain, h::no_agent_action), J,
        Access::admin, "fleet.agent.undrain"),
      justified(r(verb::delete_, "/admin/fleet/agents/{id}", agents(h::admin_fleet_agent_remove, h::no_agent_action), J,
                  Access::admin, "fleet.agent.remove")),

      // Agents' calls: signed with their own secret (a registration with its join token), not a
      // user's credential; checked by the handlers. Agents behind one address are not throttled
      // together; registration draws from the login bucket like any credential guess.
      // Their signature headers are checked before the body is read (a batch of events may be
      // 32 MiB), and only controllers have them.
      wire(r(verb::post, "/fleet/v1/register", h::fleet_register, J, Access::anyone, "", Limit::login)),
      wire(r(verb::post, "/fleet/v1/heartbeat", h::fleet_heartbeat, kFleetHeartbeatLimit, Access::anyone, "",
             Limit::none)),
      wire(r(verb::post, "/fleet/v1/work", h::fleet_work, J, Access::anyone, "", Limit::none)),
      wire(r(verb::post, "/fleet/v1/events", h::fleet_events, kFleetEventsLimit, Access::anyone, "", Limit::none)),
      justified(r(verb::post, "/admin/storage/sweep", h::admin_storage_sweep, J, Access::admin)),
      reads(r(verb::get, "/admin/storage/sweeps", h::admin_storage_sweeps, 0, Access::admin)),
      reads(r(verb::get, "/admin/storage/sweeps/{id}", h::admin_storage_sweep_get, 0, Access::admin)),
      reads(r(verb::get, "/admin/audit", h::admin_audit, 0, Access::admin)),
  };
}

std::vector<Route> routes_for(App& app) {
  auto routes = all_routes();
  std::erase_if(routes, [&](const Route& r) { return !r.only_role.empty() && r.only_role != app.cfg.role; });
  for (auto& route : routes) {
    route.handler = route.bind(app);
    if (route.bind_before_body) route.before_body = route.bind_before_body(app);
  }
  return routes;
}

std::vector<Route> metrics_routes_for(App& app) {
  std::vector<Route> routes{
      r(http::verb::get, "/metrics", handlers::metrics, 0, auth::Access::anyone, {}, Limit::none)};
  for (auto& route : routes) route.handler = route.bind(app);
  return routes;
}

}  // namespace tseeder::daemon
