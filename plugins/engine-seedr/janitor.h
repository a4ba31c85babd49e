// Removes what forgotten jobs left in the Seedr account, on its own thread, so the host never
// waits on the network when it drops a job.
#pragma once
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "seedr_account.h"

namespace tseeder::engine_seedr {

class Janitor {
 public:
  explicit Janitor(Account& account);
  ~Janitor();  // what is still queued gets one try each, then the thread ends
  // `items`: a delete_arr JSON list, e.g. [{"type":"folder","id":7}].
  void remove(std::string items);

 private:
  void run();

  Account& account_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool closing_ = false;
  std::thread thread_;
};

}  // namespace tseeder::engine_seedr
