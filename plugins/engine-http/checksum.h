// A download's expected digest (the job's ABI 1.8 "sha256:<hex>", "sha1:…", "md5:…", or the
// server's) checked against the finished file before the job completes.
#pragma once
#include <atomic>
#include <optional>
#include <string>

#include "http_transfer.h"

namespace tseeder::engine_http {

// Why the file at `path` does not have the digest `checksum` names; nullopt when it does or when
// `checksum` is empty. `expected_by` says whose digest it is ("the job expected").
std::optional<std::string> checksum_mismatch(const std::string& checksum, const std::string& path,
                                             const std::string& expected_by);

// The finished download at `path` against the digest that counts: the job's checksum, else the
// server's digest header (`served`), else a published URL.sha256 naming the URL's file or the
// stored `name`, when the settings allow fetching it. Why it does not match; nullopt when it
// does or nothing names a digest.
std::optional<std::string> download_mismatch(const Settings& settings, const std::string& url,
                                             const std::string& served, const std::string& name,
                                             const std::string& path, const std::atomic<bool>& abort);

}  // namespace tseeder::engine_http
