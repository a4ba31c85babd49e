#include "core/units.h"

#include <cstdio>

namespace tseeder {

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 5) {
    value /= 1024.0;
    ++unit;
  }
  char buf[32];
  if (unit == 0)
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", value, kUnits[unit]);
  return buf;
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

}  // namespace tseeder
