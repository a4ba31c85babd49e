// What every libcurl request of the HTTP engine shares: protocols, redirects, timeouts, the
// outbound-address guard, and how a failure is told to the user.
#pragma once
#include <curl/curl.h>

#include <string>
#include <vector>

#include "http_transfer.h"

namespace tseeder::engine_http {

// One request's guard: set when the outbound-address policy refused a connection.
struct Guard {
  const Settings* settings = nullptr;
  std::string refused_address;
  std::vector<curl_socket_t> opened;  // every socket made for the request, redirects' included
};

// Sets the options every request has; `errbuf` (CURL_ERROR_SIZE) and `guard` outlive the handle.
void apply_common_options(CURL* curl, const Settings& settings, Guard& guard, char* errbuf);

// True when no proxy stands between curl and the server, so the socket carries the response
// itself. Proxies come only from the environment, and only when private URLs are allowed.
bool direct_connection(const Settings& settings);

// The socket of the request's connection now, found among those it opened by its addresses
// (curl names a transfer's socket only once it is done); CURL_SOCKET_BAD when none matches,
// as for a connection another request opened.
curl_socket_t connection_socket(CURL* curl, const Guard& guard);

// What went wrong, in words for the job's error, and whether trying again may help.
struct Failure {
  std::string reason;
  bool retryable = false;
};
Failure describe_failure(CURLcode rc, long http_code, const Guard& guard, const char* errbuf);

}  // namespace tseeder::engine_http
