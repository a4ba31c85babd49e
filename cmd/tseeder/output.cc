#include "output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "core/units.h"

namespace tseeder::cli {

bool stdout_is_tty() {
  return ::isatty(STDOUT_FILENO) == 1;
}

int terminal_columns() {
  if (!stdout_is_tty()) return 0;
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  const char* columns = std::getenv("COLUMNS");
  return columns ? std::atoi(columns) : 80;
}

bool colour_wanted(bool no_color_flag) {
  const char* no_color = std::getenv("NO_COLOR");  // no-color.org: any non-empty value
  return !no_color_flag && !(no_color && no_color[0]) && stdout_is_tty();
}

std::string status_colour(const std::string& status) {
  if (status == "completed") return "\033[32m";
  if (status == "failed" || status == "cancelled" || status == "expired") return "\033[31m";
  if (status == "paused") return "\033[33m";
  if (status == "downloading" || status == "metadata_fetch" || status == "scanning" || status == "uploading")
    return "\033[36m";
  return "";
}

std::size_t display_width(const std::string& s) {
  // Code points, not bytes: UTF-8 continuation bytes take no column.
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

namespace {
// The first `cols` columns of `s` and "…" when it is longer.
std::string cut_to(const std::string& s, std::size_t cols) {
  if (display_width(s) <= cols) return s;
  if (cols == 0) return "";
  std::size_t seen = 0, at = 0;
  for (; at < s.size(); ++at) {
    if ((s[at] & 0xC0) != 0x80 && seen++ == cols - 1) break;
  }
  return s.substr(0, at) + "…";
}
}  // namespace

void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                 const TableLook& look) {
  std::vector<std::size_t> width(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) width[i] = display_width(header[i]);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], display_width(r[i]));
  if (look.width > 0 && look.shrink >= 0 && static_cast<std::size_t>(look.shrink) < width.size()) {
    std::size_t others = 0;
    for (std::size_t i = 0; i < width.size(); ++i)
      if (static_cast<int>(i) != look.shrink) others += width[i] + 2;
    const std::size_t room = static_cast<std::size_t>(look.width) > others + 8 ? look.width - others : 8;
    width[look.shrink] = std::min(width[look.shrink], room);
  }
  auto line = [&](const std::vector<std::string>& cells, const std::vector<std::string>* colours) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string cell = static_cast<int>(i) == look.shrink ? cut_to(cells[i], width[i]) : cells[i];
      const std::string colour = colours && i < colours->size() ? (*colours)[i] : "";
      out += colour.empty() ? cell : colour + cell + "\033[0m";
      if (i + 1 < cells.size()) out += std::string(width[i] - display_width(cell) + 2, ' ');
    }
    std::cout << out << "\n";
  };
  line(header, nullptr);
  for (std::size_t r = 0; r < rows.size(); ++r) line(rows[r], r < look.colours.size() ? &look.colours[r] : nullptr);
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

std::string local_time_text(const Json& when) {
  std::time_t t = 0;
  if (when.is_number_integer()) {
    t = static_cast<std::time_t>(when.get<std::int64_t>() / 1000);
  } else if (when.is_string()) {  // ISO 8601 in UTC, as job times are sent
    std::tm utc{};
    const std::string text = when.get<std::string>();
    if (!strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &utc)) return text;
    t = timegm(&utc);
  } else {
    return "-";
  }
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[48];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M %Z", &tm);
  return buf;
}

}  // namespace tseeder::cli
