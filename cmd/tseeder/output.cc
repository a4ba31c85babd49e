#include "output.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "core/units.h"

namespace tseeder::cli {

bool stdout_is_tty() {
  return ::isatty(STDOUT_FILENO) == 1;
}

void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], r[i].size());
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out += cells[i];
      if (i + 1 < cells.size()) out += std::string(width[i] - cells[i].size() + 2, ' ');
    }
    std::cout << out << "\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
}

void print_json(const Json& j) {
  std::cout << j.dump(2) << "\n";
}

std::string percent_text(const Json& p) {
  if (!p.is_object() || !p.contains("bytesTotal") || p["bytesTotal"].is_null()) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", p.value("progressPct", 0.0));
  return buf;
}

bool is_swarm_job(const Json& job) {
  return job.is_object() && job.contains("infohash") && job["infohash"].is_string();
}

std::string progress_text(const Json& p, bool swarm) {
  std::string out = percent_text(p);
  out += "  " + format_bytes(p.value("bytesDone", 0ULL));
  if (p.contains("bytesTotal") && !p["bytesTotal"].is_null())
    out += "/" + format_bytes(p["bytesTotal"].get<std::uint64_t>());
  out += "  " + format_rate(p.value("downloadSpeed", 0ULL));
  std::int64_t eta = p.contains("eta") && !p["eta"].is_null() ? p["eta"].get<std::int64_t>() : -1;
  out += "  eta " + format_duration(eta);
  if (swarm) {
    out += "  up " + format_rate(p.value("uploadSpeed", 0ULL));
    out += "  peers " + std::to_string(p.value("peers", 0U)) + "  seeds " + std::to_string(p.value("seeds", 0U));
  }
  return out;
}

std::string progress_bar(double fraction, int width) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  int filled = static_cast<int>(fraction * width + 0.5);
  return "[" + std::string(filled, '#') + std::string(width - filled, '-') + "]";
}

std::string local_time_text(const Json& ms) {
  if (!ms.is_number_integer()) return "-";
  const auto t = static_cast<std::time_t>(ms.get<std::int64_t>() / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[48];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M %Z", &tm);
  return buf;
}

}  // namespace tseeder::cli
