// The end of every tseederd role: run the event loop until SIGTERM or SIGINT.
#pragma once
#include <boost/asio/io_context.hpp>
#include <functional>

namespace tseeder::daemon {

// Installs the signal handler, then calls `announce` (print, ready file: a stop request may come
// as soon as it is out), then runs `io`. On a signal `stop` runs on the loop and the loop ends.
void run_until_signalled(boost::asio::io_context& io, const std::function<void()>& announce,
                         std::function<void()> stop);

// Runs `io` until it stops. The last line of defence: handlers fail their own job or request,
// but whatever still escapes one is logged and the loop goes on, so no single event ends the
// daemon.
void run_catching(boost::asio::io_context& io);

}  // namespace tseeder::daemon
