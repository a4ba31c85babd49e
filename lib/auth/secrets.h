// Random tokens, digests and comparisons for credentials (sessions, API keys, emailed tokens).
#pragma once
#include <string>
#include <string_view>

namespace tseeder::auth {

// `bytes` from the OS CSPRNG as unpadded base64url (32 bytes → 43 characters).
std::string random_token(std::size_t bytes = 32);
// Lower-case hex SHA-256; what the store keeps instead of a high-entropy secret.
std::string sha256_hex(std::string_view data);
// Compares without leaking where the first difference is (lengths may leak).
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace tseeder::auth
