// Keccak-256 as Ethereum uses it (the original padding, not SHA3-256's): EIP-55 address checksums.
// OpenSSL 3.0 has SHA3 but not this.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace tseeder::billing {

std::array<std::uint8_t, 32> keccak256(std::string_view data);

}  // namespace tseeder::billing
