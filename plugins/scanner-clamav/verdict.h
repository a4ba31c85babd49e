// What one ClamAV check said about one file.
#pragma once
#include <string>

#include "tseeder/plugin.h"

namespace tseeder::clamav {

struct Verdict {
  tseeder_scan_verdict kind = TSEEDER_SCAN_ERROR;
  std::string detail;  // signature name when infected, the reason on error
};

// clamd and clamscan both end a finding with "<name> FOUND"; clamd says "OK" for clean.
// `line` is what follows "stream: " (clamd) or "<path>: " (clamscan).
Verdict parse_result_text(const std::string& text);

}  // namespace tseeder::clamav
