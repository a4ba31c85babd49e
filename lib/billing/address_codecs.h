// The encodings receiving addresses are written in: Base58 (with or without the double-SHA-256
// checksum of Base58Check) and Bech32/Bech32m segwit addresses (BIP-173, BIP-350).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tseeder::billing {

using Bytes = std::vector<std::uint8_t>;

// The bytes a Base58 text stands for; nullopt on a character outside the alphabet.
std::optional<Bytes> base58_decode(const std::string& text);
std::string base58_encode(const Bytes& bytes);

struct Base58Check {
  Bytes payload;  // version byte(s) and body, checksum removed
  bool checksum_ok = false;
};
// nullopt when the text is not Base58 or shorter than a checksum.
std::optional<Base58Check> base58check_decode(const std::string& text);

struct Segwit {
  std::string hrp;  // "bc", "tb", "ltc", …
  int version = -1;
  Bytes program;
  bool checksum_ok = false;  // the checksum is right for the variant the version needs
};
// nullopt when the text is not Bech32 at all (mixed case, no separator, bad characters, length).
std::optional<Segwit> segwit_decode(const std::string& text);

}  // namespace tseeder::billing
