// Handlers: parse + validate, call one service, render. One file per resource; each sees only
// the services of its resource (apis.h).
#pragma once
#include "handlers/apis.h"
#include "handlers/paging.h"
#include "http/request.h"

namespace tseeder::daemon::handlers {

Reply health(SystemApi& api, Request& req);
Reply plugins_list(SystemApi& api, Request& req);

Reply jobs_create(JobsApi& api, Request& req);
Reply jobs_list(JobsApi& api, Request& req);
Reply jobs_get(JobsApi& api, Request& req);
Reply jobs_patch(JobsApi& api, Request& req);
Reply jobs_pause(JobsApi& api, Request& req);
Reply jobs_resume(JobsApi& api, Request& req);
Reply jobs_cancel(JobsApi& api, Request& req);
Reply jobs_retry(JobsApi& api, Request& req);
Reply jobs_delete(JobsApi& api, Request& req);
Reply jobs_trackers(JobsApi& api, Request& req);
Reply jobs_peers(JobsApi& api, Request& req);
Reply jobs_reannounce(JobsApi& api, Request& req);

Reply job_files(FilesApi& api, Request& req);
Reply job_files_patch(FilesApi& api, Request& req);
Reply job_file_content(FilesApi& api, Request& req);
Reply job_file_url(FilesApi& api, Request& req);
Reply download(FilesApi& api, Request& req);
Reply job_zip(FilesApi& api, Request& req);
// Serves a stored file; its bytes count against `owner`'s monthly bandwidth.
Reply serve_stored_file(FilesApi& api, const jobs::StoredFile& f, const Request& req, const UserId& owner);
// Content-Disposition for a stored file's last path segment, safe for any name.
std::string content_disposition(const std::string& path);
Reply job_events(JobEventsApi& api, Request& req);

Reply auth_register(AuthApi& api, Request& req);
Reply auth_verify(AuthApi& api, Request& req);
Reply auth_verify_resend(AuthApi& api, Request& req);
Reply auth_login(AuthApi& api, Request& req);
Reply auth_logout(AuthApi& api, Request& req);
Reply auth_me(AuthApi& api, Request& req);
Reply auth_password(AuthApi& api, Request& req);
Reply auth_reset_request(AuthApi& api, Request& req);
Reply auth_reset_confirm(AuthApi& api, Request& req);
Reply sessions_list(AuthApi& api, Request& req);
Reply sessions_revoke(AuthApi& api, Request& req);
Reply api_keys_create(AuthApi& api, Request& req);
Reply api_keys_list(AuthApi& api, Request& req);
Reply api_keys_revoke(AuthApi& api, Request& req);

Reply admin_bootstrap(UsersAdminApi& api, Request& req);
Reply admin_users_add(UsersAdminApi& api, Request& req);
Reply admin_users_list(UsersAdminApi& api, Request& req);
Reply admin_users_get(UsersAdminApi& api, Request& req);
Reply admin_users_role(UsersAdminApi& api, Request& req);
Reply admin_users_suspend(UsersAdminApi& api, Request& req);
Reply admin_users_delete(UsersAdminApi& api, Request& req);
Reply admin_users_unsuspend(UsersAdminApi& api, Request& req);
Reply admin_users_force_logout(UsersAdminApi& api, Request& req);
Reply admin_users_plan(UsersAdminApi& api, Request& req);
Reply admin_audit(UsersAdminApi& api, Request& req);

Reply usage(PlansApi& api, Request& req);
Reply admin_blocklist_list(ContentAdminApi& api, Request& req);
Reply admin_blocklist_add(ContentAdminApi& api, Request& req);
Reply admin_blocklist_remove(ContentAdminApi& api, Request& req);
Reply admin_dlq_list(ContentAdminApi& api, Request& req);
Reply admin_dlq_replay(ContentAdminApi& api, Request& req);
Reply admin_fleet_tokens_list(JoinTokensApi& api, Request& req);
Reply admin_fleet_tokens_create(JoinTokensApi& api, Request& req);
Reply admin_fleet_agents_list(AgentsAdminApi& api, Request& req);
Reply admin_fleet_agent_drain(AgentsAdminApi& api, Request& req);
Reply admin_fleet_agent_undrain(AgentsAdminApi& api, Request& req);
Reply admin_fleet_agent_remove(AgentsAdminApi& api, Request& req);
// The same routes on a daemon with no agents: an empty list, and a conflict for any action.
Reply no_agents_list(NoAgentsApi& api, Request& req);
Reply no_agent_action(NoAgentsApi& api, Request& req);
// Before the body: the signature headers have the right shape, the timestamp is fresh and the
// agent is known (or "join", for a registration).
void fleet_signature_headers(FleetWireApi& api, Request& req);
Reply fleet_register(FleetWireApi& api, Request& req);
Reply fleet_heartbeat(FleetWireApi& api, Request& req);
Reply fleet_work(FleetWireApi& api, Request& req);
Reply fleet_events(FleetWireApi& api, Request& req);
Reply admin_search(StaffSearchApi& api, Request& req);
Reply admin_config_history(ConfigHistoryApi& api, Request& req);
Reply admin_health(HealthApi& api, Request& req);
Reply metrics(MetricsApi& api, Request& req);
Reply admin_wallets_list(BillingAdminApi& api, Request& req);
Reply admin_wallets_add(BillingAdminApi& api, Request& req);
Reply admin_wallets_disable(BillingAdminApi& api, Request& req);
Reply admin_prices_list(BillingAdminApi& api, Request& req);
Reply admin_prices_set(BillingAdminApi& api, Request& req);
Reply admin_rates_list(BillingAdminApi& api, Request& req);
Reply admin_rates_set(BillingAdminApi& api, Request& req);
// "periodDays" of a billing body: a whole number, 30 when absent.
std::int64_t period_days_field(const Json& body);
Reply admin_orders_list(BillingApi& api, Request& req);
Reply admin_orders_confirm(BillingApi& api, Request& req);
Reply admin_payments_list(BillingApi& api, Request& req);

Reply billing_prices(BillingApi& api, Request& req);
Reply billing_orders_create(BillingApi& api, Request& req);
Reply billing_orders_list(BillingApi& api, Request& req);
Reply billing_orders_get(BillingApi& api, Request& req);
Reply billing_orders_cancel(BillingApi& api, Request& req);
Reply billing_order_qr_svg(BillingApi& api, Request& req);
Reply billing_order_qr_png(BillingApi& api, Request& req);
Reply billing_checkout(BillingApi& api, Request& req);
Reply billing_portal(BillingApi& api, Request& req);
Reply billing_webhook(BillingApi& api, Request& req);
Reply admin_config_diff(ConfigHistoryApi& api, Request& req);
Reply admin_jobs_list(StaffJobsApi& api, Request& req);
Reply admin_jobs_show(StaffJobsApi& api, Request& req);
Reply admin_jobs_terminate(StaffJobsApi& api, Request& req);
Reply admin_providers_show(ProvidersApi& api, Request& req);
Reply admin_providers_switch(ProvidersApi& api, Request& req);
Reply admin_providers_login(ProvidersApi& api, Request& req);
Reply admin_providers_login_poll(ProvidersApi& api, Request& req);
Reply admin_providers_history(ProvidersApi& api, Request& req);
Reply admin_storage_sweep(ContentAdminApi& api, Request& req);
Reply admin_storage_sweeps(ContentAdminApi& api, Request& req);
Reply admin_storage_sweep_get(ContentAdminApi& api, Request& req);
Reply admin_plans_list(PlansApi& api, Request& req);
Reply admin_plans_update(PlansApi& api, Request& req);

// The job id of the route, checked for shape before any lookup.
JobId job_id_param(const Request& req);
// A positive whole-number route parameter (a file or sweep id); anything else is "WHAT … not found".
std::int64_t number_param(const Request& req, const std::string& key, const std::string& what, const std::string& hint);
// The reason and ticketId of a staff action's body (checked by the service).
auth::Justification justification(const Json& body);
// ?status= as a job state; nullopt when absent, Error(invalid_argument) for an unknown one.
std::optional<jobs::JobState> status_query(const Request& req);
// A whole-number query parameter within [lo, hi], `def` when absent.
std::int64_t int_query(const Request& req, const std::string& key, std::int64_t def, std::int64_t lo, std::int64_t hi);

}  // namespace tseeder::daemon::handlers
