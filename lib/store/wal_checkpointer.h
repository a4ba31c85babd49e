// Copies the write-ahead log back into the database on its own thread and connection, so the
// event loop's commits only append to the log and never wait for a checkpoint's writes and
// fsync. The loop's connection stops checkpointing on its own while this runs.
#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/db.h"

namespace tseeder::store {

class WalCheckpointer {
 public:
  // `db` is the loop's connection: its automatic checkpoints are turned off until this stops.
  explicit WalCheckpointer(Db& db, std::chrono::milliseconds period = std::chrono::milliseconds(500));
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;
  // Checkpoints once more and ends the thread (the loop's connection checkpoints again itself).
  void stop();

 private:
  void run();

  Db& db_;
  std::unique_ptr<Db> own_;
  std::chrono::milliseconds period_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tseeder::store
