// A URL job's checksum (ABI 1.8 "sha256:<hex>", "sha1:…", "md5:…") checked against the finished
// file before the job completes.
#pragma once
#include <optional>
#include <string>

namespace tseeder::engine_http {

// Why the file at `path` does not have the digest `checksum` names; nullopt when it does or when
// `checksum` is empty.
std::optional<std::string> checksum_mismatch(const std::string& checksum, const std::string& path);

}  // namespace tseeder::engine_http
