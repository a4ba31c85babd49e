#include "run_loop.h"

#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "logging.h"

namespace tseeder::daemon {

void run_until_signalled(boost::asio::io_context& io, const std::function<void()>& announce,
                         std::function<void()> stop) {
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&io, stop = std::move(stop)](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log(Level::info, "daemon", "stopping", {{"signal", sig}});
    stop();
    io.stop();
  });
  announce();
  io.run();
  log(Level::info, "daemon", "stopped");
}

}  // namespace tseeder::daemon
