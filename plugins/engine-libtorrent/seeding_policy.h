// When a finished torrent stops seeding: a ratio goal, a time goal, whichever comes first;
// neither set means no seeding at all.
#pragma once
#include <cstdint>

namespace tseeder::engine_libtorrent {

struct SeedingPolicy {
  double ratio_limit = 0;  // uploaded / size
  long time_limit_s = 0;

  bool seeds() const { return ratio_limit > 0 || time_limit_s > 0; }
  bool done(std::uint64_t uploaded, std::uint64_t size, long seconds) const {
    if (!seeds()) return true;
    if (time_limit_s > 0 && seconds >= time_limit_s) return true;
    return ratio_limit > 0 && static_cast<double>(uploaded) >= ratio_limit * static_cast<double>(size);
  }
};

}  // namespace tseeder::engine_libtorrent
