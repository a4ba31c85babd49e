// Every route of the API in one table.
#include "handlers/handlers.h"
#include "http/router.h"

namespace tseeder::daemon {

namespace {
constexpr std::size_t kJsonBodyLimit = 64 * 1024;
// A base64 .torrent of up to 4 MiB (jobs::kMaxTorrentBytes) with room for the JSON around it;
// also fits a selection change for 100,000 files.
constexpr std::size_t kJobCreateBodyLimit = 6 * 1024 * 1024;
}  // namespace

std::vector<Route> all_routes() {
  using http::verb;
  namespace h = handlers;
  return {
      {verb::get, "/health", h::health},
      {verb::get, "/plugins", h::plugins_list},
      {verb::post, "/jobs", h::jobs_create, kJobCreateBodyLimit},
      {verb::get, "/jobs", h::jobs_list},
      {verb::get, "/jobs/{id}", h::jobs_get},
      {verb::patch, "/jobs/{id}", h::jobs_patch, kJsonBodyLimit},
      {verb::delete_, "/jobs/{id}", h::jobs_delete},
      {verb::post, "/jobs/{id}/pause", h::jobs_pause, kJsonBodyLimit},
      {verb::post, "/jobs/{id}/resume", h::jobs_resume, kJsonBodyLimit},
      {verb::post, "/jobs/{id}/cancel", h::jobs_cancel, kJsonBodyLimit},
      {verb::post, "/jobs/{id}/retry", h::jobs_retry, kJsonBodyLimit},
      {verb::get, "/jobs/{id}/files", h::job_files},
      {verb::patch, "/jobs/{id}/files", h::job_files_patch, kJobCreateBodyLimit},
      {verb::get, "/jobs/{id}/files/{fileId}/content", h::job_file_content},
      {verb::get, "/jobs/{id}/events", h::job_events},
  };
}

}  // namespace tseeder::daemon
