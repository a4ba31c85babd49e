#include "core/units.h"

#include <cctype>
#include <cstdio>

namespace tseeder {

namespace {
// "1.5 MiB" / "1.50 MB": the value in the largest unit of `base` that keeps it at least 1.
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

std::string format_decimal_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  std::string out = scaled(bytes, 1000.0, kUnits, "%.2f %s");
  // "5.00 GB" → "5 GB", "1.50 TB" → "1.5 TB"
  if (auto dot = out.find('.'); dot != std::string::npos) {
    auto space = out.find(' ');
    while (out[space - 1] == '0') out.erase(--space, 1);
    if (out[space - 1] == '.') out.erase(--space, 1);
  }
  return out;
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

std::optional<std::uint64_t> parse_byte_size(std::string_view text, SizeUnits units) {
  const double max = units == SizeUnits::decimal ? static_cast<double>(1ULL << 53) : static_cast<double>(1ULL << 50);
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
      const bool binary = units == SizeUnits::binary || unit == "iB" || unit == "ib";
      mult = 1;
      for (std::size_t k = 0; k <= p; ++k) mult *= binary ? 1024 : 1000;
      if (unit == "iB" || unit == "ib" || unit == "B" || unit == "b") unit = {};
    } else if (unit == "B" || unit == "b") {
      unit = {};
    }
  }
  if (!unit.empty()) return std::nullopt;
  const double value = (static_cast<double>(whole) + fraction) * static_cast<double>(mult);
  if (value > max) return std::nullopt;
  return static_cast<std::uint64_t>(value);
}

}  // namespace tseeder
