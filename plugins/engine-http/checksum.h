// A download's expected digest (the job's ABI 1.8 "sha256:<hex>", "sha1:…", "md5:…", or the
// server's) checked against the finished file before the job completes.
#pragma once
#include <optional>
#include <string>

namespace tseeder::engine_http {

// Why the file at `path` does not have the digest `checksum` names; nullopt when it does or when
// `checksum` is empty. `expected_by` says whose digest it is ("the job expected").
std::optional<std::string> checksum_mismatch(const std::string& checksum, const std::string& path,
                                             const std::string& expected_by);

}  // namespace tseeder::engine_http
