// Handlers: parse + validate, call one service, render. One file per resource.
#pragma once
#include "app.h"
#include "http/request.h"

namespace tseeder::daemon::handlers {

Reply health(App& app, Request& req);
Reply plugins_list(App& app, Request& req);

Reply jobs_create(App& app, Request& req);
Reply jobs_list(App& app, Request& req);
Reply jobs_get(App& app, Request& req);
Reply jobs_patch(App& app, Request& req);
Reply jobs_pause(App& app, Request& req);
Reply jobs_resume(App& app, Request& req);
Reply jobs_cancel(App& app, Request& req);
Reply jobs_retry(App& app, Request& req);
Reply jobs_delete(App& app, Request& req);

Reply job_files(App& app, Request& req);
Reply job_files_patch(App& app, Request& req);
Reply job_file_content(App& app, Request& req);
Reply job_file_url(App& app, Request& req);
Reply download(App& app, Request& req);
Reply job_zip(App& app, Request& req);
// Serves a stored file; its bytes count against `owner`'s monthly bandwidth.
Reply serve_stored_file(App& app, const jobs::StoredFile& f, const Request& req, const UserId& owner);
// Content-Disposition for a stored file's last path segment, safe for any name.
std::string content_disposition(const std::string& path);
Reply job_events(App& app, Request& req);

Reply auth_register(App& app, Request& req);
Reply auth_verify(App& app, Request& req);
Reply auth_verify_resend(App& app, Request& req);
Reply auth_login(App& app, Request& req);
Reply auth_logout(App& app, Request& req);
Reply auth_me(App& app, Request& req);
Reply auth_password(App& app, Request& req);
Reply auth_reset_request(App& app, Request& req);
Reply auth_reset_confirm(App& app, Request& req);
Reply sessions_list(App& app, Request& req);
Reply sessions_revoke(App& app, Request& req);
Reply api_keys_create(App& app, Request& req);
Reply api_keys_list(App& app, Request& req);
Reply api_keys_revoke(App& app, Request& req);

Reply admin_bootstrap(App& app, Request& req);
Reply admin_users_add(App& app, Request& req);
Reply admin_users_list(App& app, Request& req);
Reply admin_users_get(App& app, Request& req);
Reply admin_users_role(App& app, Request& req);
Reply admin_users_suspend(App& app, Request& req);
Reply admin_users_unsuspend(App& app, Request& req);
Reply admin_users_force_logout(App& app, Request& req);
Reply admin_users_plan(App& app, Request& req);
Reply admin_audit(App& app, Request& req);

Reply usage(App& app, Request& req);
Reply admin_blocklist_list(App& app, Request& req);
Reply admin_blocklist_add(App& app, Request& req);
Reply admin_blocklist_remove(App& app, Request& req);
Reply admin_dlq_list(App& app, Request& req);
Reply admin_dlq_replay(App& app, Request& req);
Reply admin_fleet_tokens_list(App& app, Request& req);
Reply admin_fleet_tokens_create(App& app, Request& req);
Reply admin_fleet_agents_list(App& app, Request& req);
Reply admin_fleet_agent_drain(App& app, Request& req);
Reply admin_fleet_agent_undrain(App& app, Request& req);
Reply admin_fleet_agent_remove(App& app, Request& req);
// Before the body: the signature headers have the right shape, the timestamp is fresh and the
// agent is known (or "join", for a registration).
void fleet_signature_headers(App& app, Request& req);
Reply fleet_register(App& app, Request& req);
Reply fleet_heartbeat(App& app, Request& req);
Reply fleet_work(App& app, Request& req);
Reply fleet_events(App& app, Request& req);
Reply admin_storage_sweep(App& app, Request& req);
Reply admin_storage_sweeps(App& app, Request& req);
Reply admin_storage_sweep_get(App& app, Request& req);
Reply admin_plans_list(App& app, Request& req);
Reply admin_plans_update(App& app, Request& req);

// The job id of the route, checked for shape before any lookup.
JobId job_id_param(const Request& req);
// A positive whole-number route parameter (a file or sweep id); anything else is "WHAT … not found".
std::int64_t number_param(const Request& req, const std::string& key, const std::string& what, const std::string& hint);
// The reason and ticketId of a staff action's body (checked by the service).
auth::Justification justification(const Json& body);
// A whole-number query parameter within [lo, hi], `def` when absent.
std::int64_t int_query(const Request& req, const std::string& key, std::int64_t def, std::int64_t lo, std::int64_t hi);

}  // namespace tseeder::daemon::handlers
