// tseederd with role agent: no listener and no user API; it joins its controller and runs the
// jobs handed to it until SIGTERM/SIGINT.
#include "agent_main.h"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cstdio>

#include "app.h"
#include "core/redact.h"
#include "fleet/agent.h"
#include "logging.h"
#include "run_loop.h"

namespace tseeder::daemon {

void run_agent(const config::Config& cfg, const std::function<void(const Json&)>& ready) {
  boost::asio::io_context io(1);
  auto storage = make_storage(cfg);
  auto plugins = load_plugins(cfg, nullptr);
  jobs::Pipeline pipeline(io, static_cast<std::size_t>(cfg.pipeline_workers));
  fleet::Agent agent(io, cfg, *plugins, *storage, pipeline,
                     [](bool error, const std::string& msg) { log(error ? Level::error : Level::info, "fleet", msg); });
  const auto cred = agent.join();
  agent.start();
  run_until_signalled(
      io,
      [&] {
        log(Level::info, "fleet", "agent working for its controller",
            {{"agent", cred.agent_id},
             {"controller", redact_url_credentials(cfg.fleet_controller_url)},
             {"version", TSEEDER_VERSION}});
        std::printf("tseederd %s agent %s working for %s\n", TSEEDER_VERSION, cred.agent_id.c_str(),
                    redact_url_credentials(cfg.fleet_controller_url).c_str());
        std::fflush(stdout);
        ready(Json{{"agent", cred.agent_id}, {"pid", ::getpid()}});
      },
      [&] {
        agent.stop();
        pipeline.shutdown();
      });
}

}  // namespace tseeder::daemon
