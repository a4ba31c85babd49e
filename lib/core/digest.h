// Digests and hex, for credentials, signatures and ETags.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tseeder {

std::string to_hex(const unsigned char* bytes, std::size_t n);  // lower case
// `length` characters of 0-9 and a-f.
bool is_lower_hex(std::string_view text, std::size_t length);
std::string sha256(std::string_view data);  // raw, 32 bytes
std::string sha256_hex(std::string_view data);
// SHA-256 of `length` bytes of the open file `fd` from `offset` (pread; the offset is not moved).
// Throws Error(Errc::io) when the file is shorter or unreadable.
std::string sha256_hex_of_file_range(int fd, std::uint64_t offset, std::uint64_t length);
// The same with "sha256", "sha1" or "md5" (checksums users give for downloads).
std::string file_range_digest_hex(const std::string& algorithm, int fd, std::uint64_t offset, std::uint64_t length);
// Raw HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);
// The same in lower-case hex.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace tseeder
