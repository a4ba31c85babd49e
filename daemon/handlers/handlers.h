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
Reply job_events(App& app, Request& req);

// The job id of the route, checked for shape before any lookup.
JobId job_id_param(const Request& req);

}  // namespace tseeder::daemon::handlers
