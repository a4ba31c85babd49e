// Each resource's handler services (handlers/apis.h), picked out of the daemon's. Only the
// routes of a role that has a service ask for an api holding it.
#pragma once
#include <stdexcept>

#include "app.h"
#include "handlers/apis.h"

namespace tseeder::daemon {

template <typename Api>
Api api_for(App& app);

namespace detail {
inline fleet::Controller& controller(App& app) {
  // routes_for binds fleet handlers on controllers only: anything else is a fault in the table.
  if (!app.fleet) throw std::logic_error("a fleet route was bound on a daemon of role " + app.cfg.role);
  return *app.fleet;
}
}  // namespace detail

template <>
inline handlers::SystemApi api_for(App& app) {
  return {app.cfg.role, *app.plugins, *app.workers, app.auth_settings};
}

template <>
inline handlers::AuthApi api_for(App& app) {
  return {*app.accounts, *app.credentials, app.auth_settings, app.io, app.kdf_threads()};
}

template <>
inline handlers::JobsApi api_for(App& app) {
  return {app.jobs->actions()};
}

template <>
inline handlers::JobEventsApi api_for(App& app) {
  return {app.jobs->actions(), app.hub, app.io, app.streams, app.cfg.limits_streams_per_account};
}

template <>
inline handlers::FilesApi api_for(App& app) {
  return {app.jobs->actions(), *app.storage, *app.reads,
          *app.meter,          *app.links,   *app.credentials,
          app.auth_settings,   app.clock,    app.cfg.downloads_link_ttl_s};
}

template <>
inline handlers::PlansApi api_for(App& app) {
  return {*app.limits, *app.plans};
}

template <>
inline handlers::UsersAdminApi api_for(App& app) {
  return {*app.user_admin, *app.audit, app.auth_settings, app.io, app.kdf_threads()};
}

template <>
inline handlers::ContentAdminApi api_for(App& app) {
  return {*app.blocklist, *app.dead_letters, *app.sweeper};
}

template <>
inline handlers::BillingAdminApi api_for(App& app) {
  return {*app.wallets};
}

template <>
inline handlers::BillingApi api_for(App& app) {
  return {*app.orders,
          *app.confirmations,
          *app.payment_watch,
          *app.wallets,
          *app.cards,
          net::CardApi({app.cfg.billing_card_api_url, app.cfg.billing_card_secret_key, 30}),
          app.cfg.billing_card_webhook_secret,
          app.clock,
          app.io,
          app.outbound_threads()};
}

template <>
inline handlers::MetricsApi api_for(App& app) {
  return {ops::Metrics({*app.db, *app.plugins, app.fleet.get(), app.request_metrics,
                        [&app] { return app.streams.open(); }, app.clock, app.storage->name(), app.started_ms}),
          *app.readers, app.io};
}

template <>
inline handlers::HealthApi api_for(App& app) {
  return {ops::SystemHealth({*app.db, *app.storage, *app.mailer, *app.plugins, *app.providers, app.fleet.get(), app.cfg,
                             app.clock, app.started_ms, app.auth_settings.require_email_verification}),
          *app.readers, app.io, app.outbound_threads()};
}

template <>
inline handlers::ConfigHistoryApi api_for(App& app) {
  return {*app.config_history};
}

template <>
inline handlers::StaffSearchApi api_for(App& app) {
  return {*app.staff_search};
}

template <>
inline handlers::StaffJobsApi api_for(App& app) {
  return {*app.staff_jobs, app.clock};
}

template <>
inline handlers::ProvidersApi api_for(App& app) {
  return {*app.providers, app.io, app.outbound_threads()};
}

template <>
inline handlers::JoinTokensApi api_for(App& app) {
  return {*app.join_tokens};
}

template <>
inline handlers::AgentsAdminApi api_for(App& app) {
  return {detail::controller(app), *app.jobs};
}

template <>
inline handlers::NoAgentsApi api_for(App& app) {
  return {app.cfg.role};
}

template <>
inline handlers::FleetWireApi api_for(App& app) {
  return {detail::controller(app), *app.wire, *app.jobs, *app.audit, *app.limiter};
}

}  // namespace tseeder::daemon
