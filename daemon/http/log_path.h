// The path of a request as the log shows it: credentials in paths (download-link tokens) never
// reach a log line, however the path is spelled.
#pragma once
#include <string>
#include <string_view>

namespace tseeder::daemon {

// `path` percent-decoded, with empty segments dropped; everything after a "dl" segment (any case,
// any spelling) is replaced by "…", and the result is cut at 200 bytes.
std::string log_path(std::string_view path);

}  // namespace tseeder::daemon
