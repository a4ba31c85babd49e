// One response of a signed file URL appended to a local file: a Range request from the bytes
// already there, so a cut connection or a restart costs only what was in flight.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "seedr_http.h"

namespace tseeder::engine_seedr {

struct PullResult {
  enum class Kind {
    whole,        // the file has all `size` bytes
    cut,          // the connection ended early (or never started): try again from where it stopped
    url_expired,  // 401/403/404/410: ask the service for a new URL
    busy,         // 429 (the URL's reader limit) or 5xx: wait, then try again
    too_long,     // the server sent past the listed size
    local_error   // the file could not be written
  };
  Kind kind;
  std::string detail;
};

struct PullSettings {
  HttpSettings http;
  std::uint64_t limit_bps = 0;  // 0: as fast as it comes
};

// Appends to `path` from its current size up to `size`. `on_bytes(n)` after each write; returns
// false to abort (then the result is `cut`).
PullResult pull_once(const PullSettings& s, const std::string& url, const std::string& path, std::uint64_t size,
                     const std::function<bool(std::uint64_t)>& on_bytes);

}  // namespace tseeder::engine_seedr
