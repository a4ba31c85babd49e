// Terminal output: tables, job lines and the progress bar.
#pragma once
#include <string>
#include <vector>

#include "core/json_util.h"

namespace tseeder::cli {

bool stdout_is_tty();
// The terminal's width in columns; 0 when standard output is not a terminal.
int terminal_columns();
// Colours on a terminal, unless --no-color or NO_COLOR (no-color.org) says otherwise.
bool colour_wanted(bool no_color_flag);
// The ANSI colour of a job state ("" for none).
std::string status_colour(const std::string& status);
std::size_t display_width(const std::string& s);

struct TableLook {
  int width = 0;    // fit the rows into this many columns (terminal_columns()); 0: as wide as they are
  int shrink = -1;  // the column cut short (with "…") to fit
  std::vector<std::vector<std::string>> colours;  // per row, per cell: an ANSI colour or ""
};
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                 const TableLook& look = {});
void print_json(const Json& j);
// "45.2%" from a job's progress object; "-" when the size is unknown.
std::string percent_text(const Json& progress);
// One-line summary of a progress object: "45.2% 12.0 MiB/s eta 1m02s"; for a swarm (a
// BitTorrent job) also the upload rate, peers and seeds.
std::string progress_text(const Json& progress, bool swarm);
// Whether a job downloads from a swarm: it has an infohash.
bool is_swarm_job(const Json& job);
// "[#########-----------]" of `width` cells.
std::string progress_bar(double fraction, int width);
// Milliseconds since the epoch, or an ISO 8601 UTC time, as a local date: "2026-11-23 14:05 CET";
// "-" for null.
std::string local_time_text(const Json& when);

}  // namespace tseeder::cli
