// Scans a file with the clamscan program when no clamd is configured (slower: it loads the
// signatures for every file).
#pragma once
#include <string>

#include "verdict.h"

namespace tseeder::clamav {

Verdict run_clamscan(const std::string& program, const std::string& database_dir, const std::string& file,
                     int timeout_s);

}  // namespace tseeder::clamav
