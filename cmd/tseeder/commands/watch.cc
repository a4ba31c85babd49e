// tseeder watch ID — live progress: a bar on a terminal, one line per event otherwise.
#include <chrono>
#include <iostream>
#include <thread>

#include "commands/commands.h"
#include "core/error.h"
#include "exit_codes.h"
#include "net/sse_parser.h"
#include "output.h"

namespace tseeder::cli {
namespace {

constexpr int kReconnectSeconds = 60;

struct Follow {
  Context& ctx;
  bool quiet;
  bool tty;
  std::string last_id;
  std::string name;
  bool swarm = false;
  int result = -1;  // set once the job has ended

  void ended(const std::string& status) { result = status == "completed" ? kExitOk : kExitJobFailed; }

  void on_event(const net::SseEvent& e) {
    if (!e.id.empty()) last_id = e.id;
    Json data = Json::parse(e.data, nullptr, false);
    if (!data.is_object()) return;
    if (e.event == "metadata_ready" && data["name"].is_string()) name = data["name"].get<std::string>();
    if (ctx.json && !quiet)
      std::cout << Json{{"id", e.id}, {"event", e.event}, {"data", data}}.dump() << std::endl;
    else if (!quiet)
      show(e.event, data);
    if (e.event == "status") {
      const std::string st = data.value("status", "");
      if (st == "completed" || st == "failed" || st == "cancelled" || st == "expired") ended(st);
    } else if (e.event == "deleted") {
      result = kExitJobFailed;
    }
  }

  void show(const std::string& event, const Json& data) {
    if (event == "progress") {
      if (tty) {
        double frac = data.value("progressPct", 0.0) / 100.0;
        std::cout << "\r\033[K" << progress_bar(frac, 30) << " " << progress_text(data, swarm) << "  " << name
                  << std::flush;
      } else {
        std::cout << "progress " << progress_text(data, swarm) << std::endl;
      }
      return;
    }
    if (tty) std::cout << "\r\033[K";
    if (event == "status") {
      std::cout << data.value("status", "");
      if (data.contains("reason")) std::cout << ": " << data["reason"].get<std::string>();
      if (data.contains("error")) std::cout << " — " << data["error"].get<std::string>();
      std::cout << std::endl;
    } else if (event == "metadata_ready") {
      std::cout << "metadata " << name << std::endl;
    } else if (const Json message = data.value("message", Json()); message.is_string()) {  // a warning says why
      std::cout << event << ": " << message.get<std::string>() << std::endl;
    } else {
      std::cout << event << std::endl;
    }
  }
};

}  // namespace

int follow_job(Context& ctx, const std::string& job_id, bool quiet) {
  Follow f{ctx, quiet, stdout_is_tty(), {}, {}};
  auto job = ctx.call("GET", ctx.job_path(job_id));
  const std::string status = job.value("status", "");
  if (job["name"].is_string()) f.name = job["name"].get<std::string>();
  f.swarm = is_swarm_job(job);
  if (status == "completed" || status == "failed" || status == "cancelled" || status == "expired") {
    if (!quiet && !ctx.json) std::cout << status << std::endl;
    return status == "completed" ? kExitOk : kExitJobFailed;
  }
  f.last_id = std::to_string(job.value("lastEventId", 0));
  auto down_since = std::chrono::steady_clock::now();
  for (;;) {
    net::SseParser parser;
    try {
      std::vector<std::string> headers;
      if (!f.last_id.empty() && f.last_id != "0") headers.push_back("Last-Event-ID: " + f.last_id);
      auto res = ctx.client().stream(ctx.job_path(job_id, "/events"), headers, [&](std::string_view chunk) {
        parser.feed(chunk, [&](const net::SseEvent& e) { f.on_event(e); });
        return f.result < 0;
      });
      // 503: the daemon is stopping; it answers again once restarted.
      if (res.status >= 400 && res.status != 503) throw_api_error(res);
      down_since = std::chrono::steady_clock::now();
    } catch (const Error& e) {
      // The daemon may be restarting: a refused connection (unavailable) or a stream cut short
      // (internal: curl's transfer error) — keep trying for a while, resuming where we were.
      if (e.code() != Errc::unavailable && e.code() != Errc::internal) throw;
      if (std::chrono::steady_clock::now() - down_since > std::chrono::seconds(kReconnectSeconds)) throw;
    }
    if (f.result >= 0) {
      if (f.tty && !quiet && !ctx.json) std::cout << std::flush;
      return f.result;
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

void add_watch_command(CLI::App& app, Context& ctx) {
  add_job_command(app, "watch", "follow a job's progress until it ends (exit 5 if it fails)",
                  [&ctx](const std::string& id) { ctx.exit_status = follow_job(ctx, id, false); });
}

}  // namespace tseeder::cli
