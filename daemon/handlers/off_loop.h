// Answers that wait for work off the event loop (password hashing, remote calls, long reads): the
// work runs on a pool's threads, then its last step on the loop, where the session finishes the
// request.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "http/request.h"
#include "store/read_pool.h"

namespace tseeder::daemon::handlers {

// `work` on a thread of `pool` (after `delay`), then `last` with its result on the loop `io`. An
// error in either becomes the request's error answer.
template <typename T>
Reply off_loop(boost::asio::io_context& io, boost::asio::thread_pool& pool, std::chrono::milliseconds delay,
               std::function<T()> work, std::function<Reply(T)> last) {
  Reply r;
  r.deferred = [&io, &pool, delay, work = std::move(work),
                last = std::move(last)](std::function<void(Reply::LastStep)> answer) {
    auto run = [&io, &pool, work, last, answer] {
      boost::asio::post(pool, [&io, work, last, answer] {
        Reply::LastStep step = [last, value = settled<T>(work)] { return last(value()); };
        boost::asio::post(io, [answer, step] { answer(step); });
      });
    };
    if (delay.count() <= 0) return run();
    auto timer = std::make_shared<boost::asio::steady_timer>(io, delay);
    timer->async_wait([timer, run](const boost::system::error_code& ec) {
      if (!ec) run();
    });
  };
  return r;
}

// `read` on a reader thread of `readers` (its own store connection), then `last` with its result
// on the loop `io`. An error in either becomes the request's error answer.
template <typename T>
Reply on_reader(boost::asio::io_context& io, store::ReadPool& readers, std::function<T()> read,
                std::function<Reply(T)> last) {
  Reply r;
  r.deferred = [&io, &readers, read = std::move(read),
                last = std::move(last)](std::function<void(Reply::LastStep)> answer) {
    readers.post([&io, read, last, answer] {
      Reply::LastStep step = [last, value = settled<T>(read)] { return last(value()); };
      boost::asio::post(io, [answer, step] { answer(step); });
    });
  };
  return r;
}

}  // namespace tseeder::daemon::handlers
