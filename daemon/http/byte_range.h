// The Range request header (RFC 9110 §14), single ranges only.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace tseeder::daemon {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
  std::uint64_t length() const { return last - first + 1; }
};

enum class RangeResult { whole, partial, unsatisfiable };

// Parses `header` against a resource of `size` bytes. Absent, malformed or multi-range headers
// give `whole` (servers may ignore Range); a syntactically valid range past the end gives
// `unsatisfiable` (416).
RangeResult parse_range(std::string_view header, std::uint64_t size, ByteRange& out);

}  // namespace tseeder::daemon
