#include "run_loop.h"

#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "logging.h"

namespace tseeder::daemon {

void run_catching(boost::asio::io_context& io) {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      log(Level::error, "daemon", std::string("an error escaped an event handler: ") + e.what());
    } catch (...) {
      log(Level::error, "daemon", "an unknown error escaped an event handler");
    }
  }
}

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
  run_catching(io);
  log(Level::info, "daemon", "stopped");
}

}  // namespace tseeder::daemon
