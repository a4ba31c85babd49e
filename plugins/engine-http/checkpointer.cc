#include "checkpointer.h"

#include <unistd.h>

#include <chrono>

namespace tseeder::engine_http {
namespace {

void sync_and_save(int fd, const std::string& path, const PartialState& s) {
  ::fdatasync(fd);
  write_partial_state(path, s, true);
}

}  // namespace

bool Checkpointer::start(int fd, PartialState snapshot) {
  if (running_.valid() && running_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
  wait();
  running_ =
      std::async(std::launch::async, [fd, path = state_path_, s = std::move(snapshot)] { sync_and_save(fd, path, s); });
  return true;
}

void Checkpointer::save_now(int fd, const PartialState& s) {
  wait();
  sync_and_save(fd, state_path_, s);
}

void Checkpointer::wait() {
  if (running_.valid()) running_.get();
}

}  // namespace tseeder::engine_http
