#include "billing/address_check.h"

#include <algorithm>
#include <cctype>

#include "billing/address_codecs.h"
#include "billing/keccak256.h"
#include "core/error.h"

namespace tseeder::billing {
namespace {

[[noreturn]] void refuse(const std::string& network, const std::string& address, const std::string& why) {
  throw Error(Errc::invalid_argument,
              "address '" + address.substr(0, 120) + "' is not a " + network + " receiving address: " + why,
              "copy it again from the wallet, for the " + network + " network", "address");
}

// Bitcoin and Litecoin: a segwit address with the main network's prefix, or a legacy Base58Check
// one with one of its version bytes.
void check_utxo(const std::string& network, const std::string& address, const std::string& hrp,
                const std::string& test_hrp, const std::vector<std::uint8_t>& versions,
                const std::vector<std::uint8_t>& test_versions) {
  std::string lower = address;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return std::tolower(c); });
  if (lower.starts_with(hrp + "1") || lower.starts_with(test_hrp + "1")) {
    const auto s = segwit_decode(address);
    if (!s) refuse(network, address, "not a well-formed Bech32 address");
    if (s->hrp == test_hrp) refuse(network, address, "a testnet address");
    if (s->hrp != hrp) refuse(network, address, "the prefix '" + s->hrp + "' is another network's");
    if (!s->checksum_ok) refuse(network, address, "bad checksum");
    const auto n = s->program.size();
    if ((s->version == 0 && n != 20 && n != 32) || n < 2 || n > 40)
      refuse(network, address, "a witness program of " + std::to_string(n) + " bytes");
    return;
  }
  const auto b = base58check_decode(address);
  if (!b) refuse(network, address, "neither Bech32 nor Base58Check");
  if (!b->checksum_ok) refuse(network, address, "bad checksum");
  if (b->payload.size() != 21) refuse(network, address, "a payload of " + std::to_string(b->payload.size()) + " bytes");
  const auto v = b->payload[0];
  if (std::find(test_versions.begin(), test_versions.end(), v) != test_versions.end())
    refuse(network, address, "a testnet address");
  if (std::find(versions.begin(), versions.end(), v) == versions.end())
    refuse(network, address, "version byte " + std::to_string(v) + " is another network's");
}

void check_evm(const std::string& network, const std::string& address) {
  const bool shaped = address.size() == 42 && address.starts_with("0x") &&
                      std::all_of(address.begin() + 2, address.end(), [](char c) { return std::isxdigit(c); });
  if (!shaped) refuse(network, address, "not 0x and 40 hex digits");
  if (eip55(address) != address)
    refuse(network, address, "bad EIP-55 checksum (the letters' case); the checksummed form is " + eip55(address));
}

}  // namespace

std::string coin_name(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char c) { return std::toupper(static_cast<unsigned char>(c)); });
  return text;
}

std::string network_name(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char c) { return std::tolower(static_cast<unsigned char>(c)); });
  return text;
}

const std::vector<CoinNetwork>& coin_networks() {
  static const std::vector<CoinNetwork> all = {{"BTC", "bitcoin"}, {"LTC", "litecoin"}, {"USDT", "tron"},
                                               {"USDT", "solana"}, {"USDT", "polygon"}, {"BNB", "bsc"}};
  return all;
}

std::string coin_networks_text() {
  std::string taken;
  for (const auto& cn : coin_networks()) taken += (taken.empty() ? "" : ", ") + cn.coin + " on " + cn.network;
  return taken;
}

void check_coin_network(const std::string& coin, const std::string& network) {
  for (const auto& cn : coin_networks())
    if (cn.coin == coin && cn.network == network) return;
  throw Error(Errc::invalid_argument, coin.substr(0, 20) + " on " + network.substr(0, 40) + " is not taken",
              coin_networks_text(), "network");
}

std::string eip55(const std::string& address) {
  std::string hex = address.substr(2);
  std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) { return std::tolower(c); });
  const auto hash = keccak256(hex);
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
    if (std::isalpha(static_cast<unsigned char>(hex[i])) && nibble >= 8)
      hex[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
  }
  return "0x" + hex;
}

void check_address(const std::string& network, const std::string& address) {
  if (address.empty() || address.size() > 120) refuse(network, address, "empty or too long");
  if (network == "bitcoin") return check_utxo(network, address, "bc", "tb", {0x00, 0x05}, {0x6f, 0xc4});
  if (network == "litecoin") return check_utxo(network, address, "ltc", "tltc", {0x30, 0x32, 0x05}, {0x6f, 0x3a, 0xc4});
  if (network == "polygon" || network == "bsc") return check_evm(network, address);
  if (network == "tron") {
    const auto b = base58check_decode(address);
    if (!b || address[0] != 'T') refuse(network, address, "not Base58Check starting with T");
    if (!b->checksum_ok) refuse(network, address, "bad checksum");
    if (b->payload.size() != 21 || b->payload[0] != 0x41)
      refuse(network, address, "not a TRON account (0x41, 20 bytes)");
    return;
  }
  if (network == "solana") {
    const auto raw = base58_decode(address);
    if (!raw || address.size() < 32 || address.size() > 44)
      refuse(network, address, "not Base58 of 32 to 44 characters");
    if (raw->size() != 32) refuse(network, address, "a key of " + std::to_string(raw->size()) + " bytes, not 32");
    return;
  }
  throw Error(Errc::invalid_argument, "network '" + network.substr(0, 40) + "' is not taken", coin_networks_text(),
              "network");
}

}  // namespace tseeder::billing
