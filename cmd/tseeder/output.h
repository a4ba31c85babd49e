// Terminal output: tables, job lines and the progress bar.
#pragma once
#include <string>
#include <vector>

#include "core/json_util.h"

namespace tseeder::cli {

bool stdout_is_tty();
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
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
// Milliseconds since the epoch as a local date, "2026-11-23 14:05 CET"; "-" for null.
std::string local_time_text(const Json& ms);

}  // namespace tseeder::cli
