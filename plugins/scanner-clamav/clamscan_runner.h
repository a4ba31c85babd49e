// Scans a file with the clamscan program when no clamd is configured (slower: it loads the
// signatures for every file).
#pragma once
#include <string>

#include "verdict.h"

namespace tseeder::clamav {

Verdict run_clamscan(const std::string& program, const std::string& database_dir, const std::string& file,
                     int timeout_s);

// ClamAV's signature directory: `database_dir`, or the packaged default when empty.
std::string signature_dir(const std::string& database_dir);
// Whether the directory holds any signature file clamscan loads (*.cvd, *.cld, *.hdb, …).
bool has_signatures(const std::string& dir);

}  // namespace tseeder::clamav
