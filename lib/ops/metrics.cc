#include "ops/metrics.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/process_counters.h"
#include "ops/prometheus_text.h"
#include "store/health_repo.h"

namespace tseeder::ops {
namespace {

// Resident set size from /proc/self/statm (pages), in bytes.
double resident_bytes() {
  std::ifstream in("/proc/self/statm");
  long size = 0, resident = 0;
  in >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

double open_fds() {
  std::error_code ec;
  double n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::end(it);
       it.increment(ec))
    ++n;
  return n;
}

double cpu_seconds() {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command (which may hold spaces) start past the last ')'.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) {
      stime = std::stod(field);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

std::string Metrics::store_part() {
  store::HealthRepo repo(p_.db);
  PrometheusText out;
  out.family("tseeder_jobs", "gauge", "jobs kept, by state and engine");
  for (const auto& j : repo.jobs_by_state())
    out.sample("tseeder_jobs", {{"state", j.status}, {"engine", j.engine}}, static_cast<double>(j.count));
  const auto waiting = repo.waiting();
  out.single("tseeder_queue_depth", "gauge", "jobs submitted or queued, not yet started",
             static_cast<double>(waiting.count));
  const auto now = p_.clock.now_ms();
  out.single("tseeder_queue_oldest_wait_seconds", "gauge", "how long the oldest waiting job has waited",
             waiting.oldest_created_ms ? static_cast<double>(now - *waiting.oldest_created_ms) / 1000 : 0);
  out.single("tseeder_dead_letters", "gauge", "jobs whose retries ran out, kept for staff",
             static_cast<double>(repo.dead_letters(now).total));
  out.single("tseeder_sessions_active", "gauge", "browser sessions neither revoked nor expired",
             static_cast<double>(repo.active_sessions(now)));
  out.family("tseeder_storage_bytes", "gauge", "bytes of users' files in storage, by backend");
  out.sample("tseeder_storage_bytes", {{"backend", p_.storage_backend}}, static_cast<double>(repo.stored_bytes()));
  const auto rates = repo.running_rates();
  out.single("tseeder_download_speed_bytes", "gauge", "download rate of the running jobs, bytes per second",
             static_cast<double>(rates.download_bps));
  out.single("tseeder_upload_speed_bytes", "gauge", "upload rate of the running jobs, bytes per second",
             static_cast<double>(rates.upload_bps));
  return out.take();
}

std::string Metrics::loop_part() {
  PrometheusText out;
  auto& c = process_counters();
  out.family("tseeder_build_info", "gauge", "the running version");
  out.sample("tseeder_build_info", {{"version", TSEEDER_VERSION}}, 1);
  out.single("tseeder_downloaded_bytes_total", "counter", "bytes engines downloaded for jobs since start",
             static_cast<double>(c.downloaded_bytes.load()));
  out.single("tseeder_uploaded_bytes_total", "counter", "bytes engines uploaded to peers since start",
             static_cast<double>(c.uploaded_bytes.load()));
  out.single("tseeder_served_bytes_total", "counter", "bytes of files and zips the daemon sent to users since start",
             static_cast<double>(c.served_bytes.load()));
  out.family("tseeder_scan_results_total", "counter", "scans of finished downloads since start, by verdict");
  out.sample("tseeder_scan_results_total", {{"verdict", "clean"}}, static_cast<double>(c.scans_clean.load()));
  out.sample("tseeder_scan_results_total", {{"verdict", "infected"}}, static_cast<double>(c.scans_infected.load()));
  out.sample("tseeder_scan_results_total", {{"verdict", "error"}}, static_cast<double>(c.scans_error.load()));
  p_.requests.render(out);
  out.single("tseeder_sse_subscribers", "gauge", "live event streams open", static_cast<double>(p_.streams_open()));
  out.single("tseeder_plugins_loaded", "gauge", "plugins loaded", static_cast<double>(p_.plugins.loaded().size()));
  out.single("tseeder_plugin_load_failures", "gauge", "plugin files refused at start",
             static_cast<double>(p_.plugins.refused().size()));
  if (p_.fleet) {
    std::map<std::pair<std::string, std::string>, int> agents;
    for (const auto& a : p_.fleet->agents()) ++agents[{a.row.state, fleet::to_string(a.health)}];
    out.family("tseeder_agents", "gauge", "agents known to this controller, by state and health");
    for (const auto& [key, n] : agents) out.sample("tseeder_agents", {{"state", key.first}, {"health", key.second}}, n);
  }
  out.single("process_resident_memory_bytes", "gauge", "resident memory size in bytes", resident_bytes());
  out.single("process_open_fds", "gauge", "number of open file descriptors", open_fds());
  out.single("process_cpu_seconds_total", "counter", "user and system CPU time spent in seconds", cpu_seconds());
  out.single("process_start_time_seconds", "gauge", "start time of the process since the Unix epoch in seconds",
             static_cast<double>(p_.started_ms) / 1000);
  return out.take();
}

}  // namespace tseeder::ops
