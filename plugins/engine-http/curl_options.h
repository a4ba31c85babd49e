// What every libcurl request of the HTTP engine shares: protocols, redirects, timeouts, the
// outbound-address guard, and how a failure is told to the user.
#pragma once
#include <curl/curl.h>

#include <string>

#include "http_transfer.h"

namespace tseeder::engine_http {

// One request's guard: set when the outbound-address policy refused a connection.
struct Guard {
  const Settings* settings = nullptr;
  std::string refused_address;
};

// Sets the options every request has; `errbuf` (CURL_ERROR_SIZE) and `guard` outlive the handle.
void apply_common_options(CURL* curl, const Settings& settings, Guard& guard, char* errbuf);

// What went wrong, in words for the job's error, and whether trying again may help.
struct Failure {
  std::string reason;
  bool retryable = false;
};
Failure describe_failure(CURLcode rc, long http_code, const Guard& guard, const char* errbuf);

}  // namespace tseeder::engine_http
