// Range headers: a partial answer always lies inside the resource.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "http/byte_range.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  std::uint64_t resource = 0;
  std::memcpy(&resource, data, 8);
  resource %= (1ULL << 40);
  std::string header(reinterpret_cast<const char*>(data + 8), size - 8);
  tseeder::daemon::ByteRange r;
  if (tseeder::daemon::parse_range(header, resource, r) == tseeder::daemon::RangeResult::partial) {
    if (r.first > r.last || r.last >= resource) std::abort();
  }
  return 0;
}
