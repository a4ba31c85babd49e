#include "http/byte_range.h"

#include <charconv>

namespace tseeder::daemon {
namespace {

bool parse_u64(std::string_view s, std::uint64_t& v) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

RangeResult parse_range(std::string_view header, std::uint64_t size, ByteRange& out) {
  constexpr std::string_view kUnit = "bytes=";
  if (header.substr(0, kUnit.size()) != kUnit) return RangeResult::whole;
  std::string_view spec = header.substr(kUnit.size());
  if (spec.find(',') != std::string_view::npos) return RangeResult::whole;
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeResult::whole;
  std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  std::uint64_t first = 0, last = 0;
  if (a.empty()) {  // suffix: the last N bytes
    if (!parse_u64(b, last)) return RangeResult::whole;
    if (last == 0 || size == 0) return RangeResult::unsatisfiable;
    out.first = last >= size ? 0 : size - last;
    out.last = size - 1;
    return RangeResult::partial;
  }
  if (!parse_u64(a, first)) return RangeResult::whole;
  if (b.empty()) {
    last = size ? size - 1 : 0;
  } else if (!parse_u64(b, last) || last < first) {
    return RangeResult::whole;
  }
  if (first >= size) return RangeResult::unsatisfiable;
  out.first = first;
  out.last = last >= size ? size - 1 : last;
  return RangeResult::partial;
}

}  // namespace tseeder::daemon
