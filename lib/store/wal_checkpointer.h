// Copies the write-ahead log back into the database on its own thread and connection, so the
// event loop's commits only append to the log and never wait for a checkpoint's writes and
// fsync. The loop's connection stops checkpointing on its own while this runs.
//
// It waits until the log holds `min_frames` frames: the first write after a complete
// checkpoint restarts the log, and SQLite syncs the restarted log's header on the writing
// thread, the loop's. While the disk is busy writing back downloads that sync took 23-51 ms;
// copying back every 16 MiB instead of every half second makes it rare.
#pragma once
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/db.h"

namespace tseeder::store {

class WalCheckpointer {
 public:
  static constexpr int kMinFrames = 4096;  // 16 MiB of 4 KiB pages

  // `db` is the loop's connection: its automatic checkpoints are turned off until this stops.
  explicit WalCheckpointer(Db& db, std::chrono::milliseconds period = std::chrono::milliseconds(500),
                           int min_frames = kMinFrames);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;
  // Checkpoints once more and ends the thread (the loop's connection checkpoints again itself).
  void stop();

 private:
  void run();
  // SQLite's hook after each commit of the loop's connection: how many frames the log holds.
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);

  Db& db_;
  std::unique_ptr<Db> own_;
  std::chrono::milliseconds period_;
  const int min_frames_;
  std::atomic<int> frames_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tseeder::store
