// Digests and hex, for credentials, signatures and ETags.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace tseeder {

std::string to_hex(const unsigned char* bytes, std::size_t n);  // lower case
std::string sha256_hex(std::string_view data);
// Raw HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace tseeder
