// A ".sha256" file published beside a download (`sha256sum` or BSD `shasum` output), checked
// when neither the job nor the server's headers give a checksum.
#pragma once
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "http_transfer.h"

namespace tseeder::engine_http {

// The URL with ".sha256" added to its path (before any query); empty when the path names no file.
std::string sidecar_url(const std::string& url);

// "sha256:<hex>" for the file called one of `names`, or for the only line of a one-line file;
// nullopt when the text names no digest for it.
std::optional<std::string> parse_sidecar(const std::string& text, const std::vector<std::string>& names);

// Fetches the sidecar of `url` (at most 64 KiB, same guard and timeouts as the download) and reads
// the digest of the file called one of `names`; nullopt when there is none or it cannot be had.
std::optional<std::string> fetch_sidecar_digest(const std::string& url, const std::vector<std::string>& names,
                                                const Settings& settings, const std::atomic<bool>& abort);

}  // namespace tseeder::engine_http
