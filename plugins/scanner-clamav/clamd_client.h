// Scans a file by streaming it to clamd over its Unix socket (INSTREAM), so clamd needs no
// access to the daemon's files.
#pragma once
#include <string>

#include "verdict.h"

namespace tseeder::clamav {

// A stream longer than clamd's StreamMaxLength makes clamd answer "INSTREAM size limit
// exceeded" and close mid-send; that comes back as an error verdict saying so.
Verdict clamd_instream(const std::string& socket_path, const std::string& file, int timeout_s);

// True when clamd answers PING with PONG.
bool clamd_ping(const std::string& socket_path, int timeout_s);

}  // namespace tseeder::clamav
