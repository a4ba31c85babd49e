// Threads that read the store beside the event loop. WAL lets readers run while the one writer
// commits, so reads that would queue behind each other on the loop run on their own connections
// (read-only, one per thread) and see the last committed state.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/db.h"

namespace tseeder::store {

class ReadPool {
 public:
  // Opens `threads` read-only connections to `main`'s file now, so a failure stops start-up.
  ReadPool(Db& main, std::size_t threads);
  ~ReadPool();  // waits for the running reads; reads not yet started are dropped
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  // Runs `read` on a reader thread inside one read transaction (every statement sees the same
  // committed state), with every statement made through `main` going to that thread's own
  // connection. `read` must not throw, and must touch nothing of the loop's but the store.
  void post(std::function<void()> read);

 private:
  void run(Db& reader);

  Db& main_;
  std::vector<std::unique_ptr<Db>> readers_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace tseeder::store
