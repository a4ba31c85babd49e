// Names the daemon's threads, as `top -H`, `ps -L`, perf and gdb show them, so an operator can
// tell which of them takes the CPU. Linux keeps at most 15 bytes of a name.
#pragma once
#include <pthread.h>

#include <cstddef>
#include <latch>
#include <memory>
#include <string>

namespace tseeder::core {

inline void name_this_thread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

// Names each of a thread pool's `threads` threads: every task waits until all have started, so
// no thread takes two. The tasks share the latch, as the last of them may still be leaving its
// wait when this returns. `post` is found by argument-dependent lookup (boost::asio::post).
template <class Pool>
void name_pool_threads(Pool& pool, std::size_t threads, const std::string& name) {
  auto started = std::make_shared<std::latch>(static_cast<std::ptrdiff_t>(threads));
  for (std::size_t i = 0; i < threads; ++i)
    post(pool, [started, name] {
      name_this_thread(name);
      started->arrive_and_wait();
    });
  started->wait();
}

}  // namespace tseeder::core
