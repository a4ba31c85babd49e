// Random tokens, digests and comparisons for credentials (sessions, API keys, emailed tokens).
#pragma once
#include <string>
#include <string_view>

#include "core/digest.h"

namespace tseeder {

// `bytes` from the OS CSPRNG.
std::string random_bytes(std::size_t bytes);
// `bytes` from the OS CSPRNG as unpadded base64url (32 bytes → 43 characters).
std::string random_token(std::size_t bytes = 32);
// Compares without leaking where the first difference is (lengths may leak).
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace tseeder
