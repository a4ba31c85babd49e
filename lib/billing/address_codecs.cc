#include "billing/address_codecs.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/digest.h"

namespace tseeder::billing {
namespace {

constexpr const char* kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr const char* kBech32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::uint32_t kBech32Const = 1, kBech32mConst = 0x2bc830a3;

std::uint32_t polymod(const Bytes& values) {
  constexpr std::uint32_t gen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  std::uint32_t chk = 1;
  for (auto v : values) {
    const std::uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i)
      if ((top >> i) & 1) chk ^= gen[i];
  }
  return chk;
}

// Regroups bits (5-bit Bech32 groups to bytes); nullopt when the padding is not zero.
std::optional<Bytes> five_to_eight(const Bytes& in) {
  Bytes out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (auto v : in) {
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 5 || ((acc << (8 - bits)) & 0xff) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::optional<Bytes> base58_decode(const std::string& text) {
  Bytes out;  // big-endian number, built digit by digit
  for (char c : text) {
    const char* at = std::strchr(kBase58, c);
    if (!at || c == '\0') return std::nullopt;
    std::uint32_t carry = static_cast<std::uint32_t>(at - kBase58);
    for (auto it = out.rbegin(); it != out.rend(); ++it) {
      carry += 58u * *it;
      *it = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    for (; carry; carry >>= 8) out.insert(out.begin(), static_cast<std::uint8_t>(carry & 0xff));
  }
  // Each leading '1' is a leading zero byte.
  const auto zeros = std::find_if(text.begin(), text.end(), [](char c) { return c != '1'; }) - text.begin();
  out.insert(out.begin(), static_cast<std::size_t>(zeros), 0);
  return out;
}

std::string base58_encode(const Bytes& bytes) {
  std::string digits;  // little-endian base-58 digits
  for (auto b : bytes) {
    std::uint32_t carry = b;
    for (auto& d : digits) {
      carry += static_cast<std::uint32_t>(d) << 8;
      d = static_cast<char>(carry % 58);
      carry /= 58;
    }
    for (; carry; carry /= 58) digits.push_back(static_cast<char>(carry % 58));
  }
  std::string out(std::find_if(bytes.begin(), bytes.end(), [](auto b) { return b != 0; }) - bytes.begin(), '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kBase58[static_cast<int>(*it)]);
  return out;
}

std::optional<Base58Check> base58check_decode(const std::string& text) {
  auto raw = base58_decode(text);
  if (!raw || raw->size() < 5) return std::nullopt;
  Base58Check out;
  out.payload.assign(raw->begin(), raw->end() - 4);
  const std::string body(out.payload.begin(), out.payload.end());
  const std::string check = sha256(sha256(body));
  out.checksum_ok = std::equal(raw->end() - 4, raw->end(), check.begin(),
                               [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
  return out;
}

std::optional<Segwit> segwit_decode(const std::string& text) {
  const bool has_lower = std::any_of(text.begin(), text.end(), [](char c) { return std::islower(c); });
  const bool has_upper = std::any_of(text.begin(), text.end(), [](char c) { return std::isupper(c); });
  const auto sep = text.rfind('1');
  if ((has_lower && has_upper) || sep == std::string::npos || sep == 0 || sep + 7 > text.size() || text.size() > 90)
    return std::nullopt;
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return std::tolower(c); });
  Segwit out;
  out.hrp = lower.substr(0, sep);
  Bytes values;
  for (char c : out.hrp) values.push_back(static_cast<std::uint8_t>(c >> 5));
  values.push_back(0);
  for (char c : out.hrp) values.push_back(static_cast<std::uint8_t>(c & 31));
  Bytes data;
  for (std::size_t i = sep + 1; i < lower.size(); ++i) {
    const char* at = std::strchr(kBech32, lower[i]);
    if (!at || lower[i] == '\0') return std::nullopt;
    data.push_back(static_cast<std::uint8_t>(at - kBech32));
  }
  values.insert(values.end(), data.begin(), data.end());
  const std::uint32_t sum = polymod(values);
  out.version = data[0];
  if (out.version > 16) return std::nullopt;
  // Version 0 is Bech32, every later one Bech32m (BIP-350).
  out.checksum_ok = sum == (out.version == 0 ? kBech32Const : kBech32mConst);
  auto program = five_to_eight(Bytes(data.begin() + 1, data.end() - 6));
  if (!program) return std::nullopt;
  out.program = std::move(*program);
  return out;
}

}  // namespace tseeder::billing
