// An error that escapes an event handler is logged and the loop runs on.
#include "run_loop.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <stdexcept>

namespace tseeder::daemon {
namespace {

TEST(RunLoop, AnEscapedErrorDoesNotEndTheLoop) {
  boost::asio::io_context io;
  bool after = false;
  boost::asio::post(io, [] { throw std::runtime_error("a handler's bug"); });
  boost::asio::post(io, [] { throw 42; });
  boost::asio::post(io, [&] { after = true; });
  run_catching(io);
  EXPECT_TRUE(after);
}

}  // namespace
}  // namespace tseeder::daemon
