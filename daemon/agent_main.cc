// tseederd with role agent: no listener and no user API; it joins its controller and runs the
// jobs handed to it until SIGTERM/SIGINT.
#include "agent_main.h"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>

#include "app.h"
#include "core/error.h"
#include "fleet/agent.h"
#include "logging.h"

namespace tseeder::daemon {

int run_agent(const config::Config& cfg, const std::function<void(const Json&)>& ready) {
  try {
    boost::asio::io_context io(1);
    auto storage = make_storage(cfg);
    auto plugins = load_plugins(cfg);
    jobs::Pipeline pipeline(io, static_cast<std::size_t>(cfg.pipeline_workers));
    fleet::Agent agent(io, cfg, *plugins, *storage, pipeline, [](bool error, const std::string& msg) {
      log(error ? Level::error : Level::info, "fleet", msg);
    });
    const auto cred = agent.join();
    agent.start();
    boost::asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      log(Level::info, "daemon", "stopping", {{"signal", sig}});
      agent.stop();
      pipeline.shutdown();
      io.stop();
    });
    log(Level::info, "fleet", "agent working for its controller",
        {{"agent", cred.agent_id}, {"controller", cfg.fleet_controller_url}, {"version", TSEEDER_VERSION}});
    std::printf("tseederd %s agent %s working for %s\n", TSEEDER_VERSION, cred.agent_id.c_str(),
                cfg.fleet_controller_url.c_str());
    std::fflush(stdout);
    ready(Json{{"agent", cred.agent_id}, {"pid", ::getpid()}});
    io.run();
    log(Level::info, "daemon", "stopped");
    return 0;
  } catch (const Error& e) {
    log(Level::error, "daemon", e.what());
    std::fprintf(stderr, "tseederd: %s\n", e.what());
    return 1;
  }
}

}  // namespace tseeder::daemon
