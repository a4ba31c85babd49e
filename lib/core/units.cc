#include "core/units.h"

#include <charconv>

#include <cctype>
#include <cstdio>

namespace tseeder {

namespace {
// "1.5 MiB": the value in the largest unit of `base` that keeps it at least 1.
std::string scaled(std::uint64_t bytes, double base, const char* const (&units)[6], const char* fmt) {
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= base && unit < 5) {
    value /= base;
    ++unit;
  }
  char buf[32];
  if (unit == 0)
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else
    std::snprintf(buf, sizeof buf, fmt, value, units[unit]);
  return buf;
}
}  // namespace

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  return scaled(bytes, 1024.0, kUnits, "%.1f %s");
}

std::string format_rate(std::uint64_t bytes_per_s) {
  return format_bytes(bytes_per_s) + "/s";
}

std::string format_duration(std::int64_t seconds) {
  if (seconds < 0) return "-";
  char buf[32];
  if (seconds < 60)
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(seconds));
  else if (seconds < 3600)
    std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  else
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(seconds / 3600),
                  static_cast<long long>((seconds / 60) % 60));
  return buf;
}

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  const double max = static_cast<double>(1ULL << 53);
  if (text.size() >= 2 && text.substr(text.size() - 2) == "/s") text.remove_suffix(2);
  std::size_t i = 0;
  std::uint64_t whole = 0;
  double fraction = 0, scale = 0.1;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (static_cast<double>(whole) > max) return std::nullopt;
    whole = whole * 10 + static_cast<std::uint64_t>(text[i++] - '0');
  }
  if (i == 0) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const std::size_t first = i;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, scale /= 10)
      fraction += (text[i] - '0') * scale;
    if (i == first) return std::nullopt;
  }
  std::string_view unit = text.substr(i);
  std::uint64_t mult = 1;
  if (!unit.empty()) {
    static constexpr std::string_view kPrefixes = "kmgt";
    auto p = kPrefixes.find(static_cast<char>(std::tolower(static_cast<unsigned char>(unit[0]))));
    if (p != std::string_view::npos) {
      unit.remove_prefix(1);
      const bool decimal = unit == "B" || unit == "b";
      mult = 1;
      for (std::size_t k = 0; k <= p; ++k) mult *= decimal ? 1000 : 1024;
      if (unit == "iB" || unit == "ib" || decimal) unit = {};
    } else if (unit == "B" || unit == "b") {
      unit = {};
    }
  }
  if (!unit.empty()) return std::nullopt;
  const double value = (static_cast<double>(whole) + fraction) * static_cast<double>(mult);
  if (value > max) return std::nullopt;
  return static_cast<std::uint64_t>(value);
}

std::optional<std::int64_t> parse_duration_s(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t unit = 1;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      unit = 0;
  }
  if (unit)
    text.remove_suffix(1);
  else
    unit = 1;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  constexpr std::int64_t kMax = 10LL * 366 * 86400;
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 0 || n > kMax / unit)
    return std::nullopt;
  return n * unit;
}

}  // namespace tseeder
