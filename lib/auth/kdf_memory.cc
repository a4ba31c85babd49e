#include "auth/kdf_memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <mutex>
#include <vector>

namespace tseeder::auth::kdf_memory {
namespace {

using Clock = std::chrono::steady_clock;

struct Buffer {
  std::uint8_t* memory;
  std::size_t size;
  bool lent;
  Clock::time_point last_used;
};

std::mutex mu;
std::vector<Buffer> buffers;

}  // namespace

std::uint8_t* lend(std::size_t bytes) {
  {
    std::lock_guard lock(mu);
    Buffer* best = nullptr;  // the smallest kept one that fits
    for (auto& b : buffers)
      if (!b.lent && b.size >= bytes && (!best || b.size < best->size)) best = &b;
    if (best) {
      best->lent = true;
      return best->memory;
    }
  }
  void* m = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return nullptr;
  std::lock_guard lock(mu);
  try {
    buffers.push_back({static_cast<std::uint8_t*>(m), bytes, true, Clock::now()});
  } catch (...) {
    ::munmap(m, bytes);
    return nullptr;
  }
  return static_cast<std::uint8_t*>(m);
}

void give_back(std::uint8_t* memory) {
  std::lock_guard lock(mu);
  for (auto& b : buffers)
    if (b.memory == memory) {
      b.lent = false;
      b.last_used = Clock::now();
    }
}

std::size_t release_idle(Clock::duration idle) {
  std::vector<Buffer> gone;
  {
    std::lock_guard lock(mu);
    const auto now = Clock::now();
    auto idle_long = [&](const Buffer& b) { return !b.lent && now - b.last_used >= idle; };
    std::copy_if(buffers.begin(), buffers.end(), std::back_inserter(gone), idle_long);
    std::erase_if(buffers, idle_long);
  }
  std::size_t bytes = 0;
  for (const auto& b : gone) {
    ::munmap(b.memory, b.size);
    bytes += b.size;
  }
  return bytes;
}

std::size_t mapped_bytes() {
  std::lock_guard lock(mu);
  std::size_t bytes = 0;
  for (const auto& b : buffers) bytes += b.size;
  return bytes;
}

}  // namespace tseeder::auth::kdf_memory
