// Saves a download's range progress off the transfer's thread. Syncing what was written since
// the last save can take the disk a second or more at loopback speeds; done inline it stalls
// every connection of the download for that long.
#pragma once
#include <algorithm>
#include <cstdint>
#include <future>
#include <string>

#include "partial_state.h"

namespace tseeder::engine_http {

// Whether a save is worth its sync: not when, at the pace since the last save, the rest of the
// download arrives before the next one. The finish would wait for that sync, which writes out
// all the file's unsynced data (a second or more at loopback speeds), to spare a resume no more
// than one interval's worth.
inline bool worth_saving(std::uint64_t total, std::uint64_t done, std::uint64_t done_at_last_save) {
  const std::uint64_t rest = total > done ? total - done : 0;
  return rest > done - std::min(done, done_at_last_save);
}

class Checkpointer {
 public:
  explicit Checkpointer(std::string state_path) : state_path_(std::move(state_path)) {}
  ~Checkpointer() { wait(); }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Syncs `fd`, then saves `snapshot`, on a thread of its own; false (nothing started) while the
  // previous save still runs. The snapshot counts only bytes written before this call, so the
  // sync that follows covers all of them. `fd` must stay open until wait() returns.
  bool start(int fd, PartialState snapshot);
  // The same, on the caller's thread, after any save still running.
  void save_now(int fd, const PartialState& s);
  // Returns once no save runs: before the partial file is closed, replaced or removed.
  void wait();

 private:
  const std::string state_path_;
  std::future<void> running_;
};

}  // namespace tseeder::engine_http
