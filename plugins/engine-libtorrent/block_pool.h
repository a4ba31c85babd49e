// 16 KiB buffers for blocks on their way to the disk thread, reused instead of freed. A block is
// allocated on the network thread and freed on the disk thread; through the allocator that
// cross-thread traffic kept several times the queue's bound resident (50 torrents: +13 MB peak
// for a 2 MiB queue). Kept buffers are bounded, so memory follows the queue's bound.
#pragma once
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace tseeder::engine_libtorrent {

class BlockPool : public std::enable_shared_from_this<BlockPool> {
 public:
  static constexpr std::size_t kBlockSize = 16 * 1024;  // BitTorrent's block; writes are never larger

  explicit BlockPool(std::size_t keep) : keep_(keep) {}
  ~BlockPool() {
    for (char* b : free_) delete[] b;
  }

  // A buffer of at least `size` bytes, back in the pool when the last holder lets go.
  std::shared_ptr<char> get(std::size_t size) {
    if (size > kBlockSize) return {new char[size], std::default_delete<char[]>()};
    char* b = nullptr;
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        b = free_.back();
        free_.pop_back();
      }
    }
    if (!b) b = new char[kBlockSize];
    return {b, [pool = shared_from_this()](char* p) { pool->put(p); }};
  }

 private:
  void put(char* b) {
    {
      std::lock_guard lock(mu_);
      if (free_.size() < keep_) {
        free_.push_back(b);
        return;
      }
    }
    delete[] b;
  }

  const std::size_t keep_;
  std::mutex mu_;
  std::vector<char*> free_;
};

}  // namespace tseeder::engine_libtorrent
