// tseederd: wires config, store, plugins, services and listeners, then runs the event loop.
#include <unistd.h>
#include <boost/asio/io_context.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "agent_main.h"
#include "app.h"
#include "core/error.h"
#include "daemon_options.h"
#include "data_dir_lock.h"
#include "http/router.h"
#include "http/server.h"
#include "logging.h"
#include "private_files.h"
#include "run_loop.h"
#include "socket_link.h"
#include "startup_summary.h"

using namespace tseeder;
using namespace tseeder::daemon;

namespace {

void write_ready_file(const std::string& path, const Json& content) {
  if (path.empty()) return;
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content.dump() << "\n";
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

int main(int argc, char** argv) {
  private_umask();
  DaemonOptions opts;
  if (auto code = parse_daemon_options(argc, argv, opts)) return *code;
  if (opts.list_routes) {
    for (const auto& r : all_routes())
      std::printf("%-6s %-40s %-10s%s\n", std::string(http::to_string(r.method)).c_str(),
                  std::string(r.pattern).c_str(), std::string(auth::to_string(r.access)).c_str(),
                  r.justified ? " justified" : "");
    return 0;
  }
  config::Config cfg;
  try {
    cfg = resolve_config(opts);
  } catch (const Error& e) {
    std::fprintf(stderr, "tseederd: %s\n", e.what());
    return 2;
  }
  if (opts.dump_config) {
    std::cout << config::dump(cfg);
    return 0;
  }
  std::signal(SIGPIPE, SIG_IGN);
  setup_logging(cfg.log_level);
  try {
    DataDirLock lock(cfg.data_dir);
    if (auto changed = tighten_modes(cfg); !changed.empty())
      log(Level::warn, "daemon", "made files of an older install private to the service", {{"changed", changed}});
    if (cfg.role == "agent") {
      run_agent(cfg, [&](const Json& ready) { write_ready_file(opts.ready_file, ready); });
      return 0;
    }
    boost::asio::io_context io(1);
    App app(io, cfg);
    Server server(io, app, Router(routes_for(app)));
    server.listen_tcp(cfg.listen);
    app.listening_at(server.tcp_url());
    server.listen_unix(cfg.socket_path());
    std::optional<Server> metrics_server;  // metrics.listen: its own address, /metrics only
    if (!cfg.metrics_listen.empty()) {
      metrics_server.emplace(io, app, Router(metrics_routes_for(app)));
      metrics_server->listen_tcp(cfg.metrics_listen);
    }
    SocketLink link(cfg.socket_path());
    app.start();

    run_until_signalled(
        io,
        [&] {
          const std::string url = server.tcp_url();
          log(Level::info, "daemon", "listening",
              {{"url", url}, {"socket", cfg.socket_path()}, {"version", TSEEDER_VERSION}});
          std::printf("tseederd %s listening on %s and unix:%s\n", TSEEDER_VERSION, url.c_str(),
                      cfg.socket_path().c_str());
          Json ready{{"url", url}, {"socket", cfg.socket_path()}, {"pid", ::getpid()}};
          if (metrics_server) {
            ready["metricsUrl"] = metrics_server->tcp_url() + "/metrics";
            std::printf("metrics on %s/metrics\n", metrics_server->tcp_url().c_str());
          }
          for (const auto& line : startup_summary(cfg, *app.plugins, app.startup_warnings))
            std::printf("%s\n", line.c_str());
          if (app.needs_bootstrap())
            std::printf("no administrator account yet: run `tseeder admin bootstrap EMAIL` on this machine\n");
          std::fflush(stdout);
          write_ready_file(opts.ready_file, ready);
        },
        [&] {
          if (metrics_server) metrics_server->shutdown();
          server.shutdown();
          app.stop();
        });
    return 0;
  } catch (const Error& e) {
    log(Level::error, "daemon", e.what());
    std::fprintf(stderr, "tseederd: %s\n", e.what());
    return 1;
  }
}
