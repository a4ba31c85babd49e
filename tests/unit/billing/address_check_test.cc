// Receiving addresses per network: valid ones, bad checksums, and other networks' (or testnet)
// addresses. Sources: BIP-173 and BIP-350 test vectors, the EIP-55 examples, well-known TRON and
// Solana program addresses; the Litecoin and the constructed TRON vectors were made with an
// independent Python encoder (Base58Check version 0x30/0x32/0x41, Bech32 hrp ltc).
#include "billing/address_check.h"

#include <gtest/gtest.h>

#include "billing/address_codecs.h"
#include "billing/keccak256.h"
#include "core/digest.h"
#include "core/error.h"

namespace tseeder::billing {
namespace {

std::string refusal(const std::string& network, const std::string& address) {
  try {
    check_address(network, address);
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "address");
    return e.message();
  }
  return "";
}

void expect_valid(const std::string& network, std::initializer_list<const char*> addresses) {
  for (const char* a : addresses) EXPECT_EQ(refusal(network, a), "") << network << " " << a;
}

void expect_refused(const std::string& network, const std::string& why, std::initializer_list<const char*> addresses) {
  for (const char* a : addresses)
    EXPECT_NE(refusal(network, a).find(why), std::string::npos) << network << " " << a << ": " << refusal(network, a);
}

TEST(Keccak256Test, KnownDigests) {
  auto hex = [](const std::array<std::uint8_t, 32>& d) { return to_hex(d.data(), d.size()); };
  EXPECT_EQ(hex(keccak256("")), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(hex(keccak256("abc")), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  EXPECT_EQ(hex(keccak256(std::string(200, 'a'))).size(), 64u);  // more than one block
}

TEST(Base58Test, RoundTripKeepsLeadingZeros) {
  const Bytes b = {0, 0, 1, 2, 255};
  EXPECT_EQ(base58_decode(base58_encode(b)), b);
  EXPECT_EQ(base58_encode({0, 0, 0}), "111");
  EXPECT_EQ(base58_decode("0OIl"), std::nullopt);
}

TEST(AddressCheckTest, Bitcoin) {
  expect_valid("bitcoin", {"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
                           "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
                           "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
                           "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"});
  expect_refused("bitcoin", "bad checksum",
                 {"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
                  // version 0 with a Bech32m checksum (BIP-350's invalid list)
                  "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh"});
  expect_refused("bitcoin", "testnet",
                 {"tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn"});
  expect_refused("bitcoin", "another network", {"LKLHNXj3Vzsd3bkpKk4AbPEP1jiW6ejHBB"});
  expect_refused("bitcoin", "not a bitcoin", {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "", "bc1qw508d6qe"});
  expect_refused("bitcoin", "not a well-formed", {"bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"});  // mixed case
}

TEST(AddressCheckTest, Litecoin) {
  expect_valid("litecoin", {"LKLHNXj3Vzsd3bkpKk4AbPEP1jiW6ejHBB", "M81VLkKcvMoNgU2zNaioZdmxGkEPYB21dn",
                            "ltc1qqye8ya828zdnzkpgc648q3fkzqz5ya0k559daa"});
  expect_refused("litecoin", "bad checksum",
                 {"LKLHNXj3Vzsd3bkpKk4AbPEP1jiW6ejHBC", "ltc1qqye8ya828zdnzkpgc648q3fkzqz5ya0k559daq",
                  "ltc1qqye8ya828zdnzkpgc648q3fkzqz5ya0kpg4pcl"});
  expect_refused("litecoin", "testnet",
                 {"mfdHQNWCEN4pZuYGsB3F9HNwfWwvvykGtC", "tltc1qqye8ya828zdnzkpgc648q3fkzqz5ya0krxxywh"});
  expect_refused("litecoin", "another network", {"17L7KRDRLdZno4f9c4sKNAcoXME2YGMtU"});
}

TEST(AddressCheckTest, Tron) {
  expect_valid("tron", {"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TA5Y7Nnwa4kWwy8HjsiaqWrkiK6YBqG8Fd"});
  expect_refused("tron", "bad checksum", {"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"});
  expect_refused("tron", "not Base58Check starting with T",
                 {"17L7KRDRLdZno4f9c4sKNAcoXME2YGMtU", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"});
}

TEST(AddressCheckTest, EvmChainsNeedTheEip55Form) {
  for (const char* network : {"polygon", "bsc"}) {
    expect_valid(network, {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                           "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"});
    expect_refused(network, "bad EIP-55 checksum",
                   {"0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"});
    expect_refused(network, "not 0x and 40 hex",
                   {"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
                    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"});
  }
  EXPECT_NE(refusal("polygon", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
                .find("the checksummed form is 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            std::string::npos);
}

TEST(AddressCheckTest, SolanaKeysAre32Bytes) {
  expect_valid("solana", {"11111111111111111111111111111111", "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
                          "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"});
  // Solana addresses carry no checksum: only the alphabet and the length can be checked.
  expect_refused("solana", "not Base58", {"1111111111111111111111111111111", "0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl"});
  expect_refused("solana", "a key of", {"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"});
  expect_refused("solana", "not Base58", {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"});
}

TEST(AddressCheckTest, CoinsAndNetworks) {
  EXPECT_NO_THROW(check_coin_network("USDT", "tron"));
  EXPECT_NO_THROW(check_coin_network("BNB", "bsc"));
  EXPECT_THROW(check_coin_network("BTC", "tron"), Error);
  EXPECT_THROW(check_address("dogecoin", "D8vFz4p1L37jdg47HXKtSHA5uYLYxbGgPD"), Error);
}

}  // namespace
}  // namespace tseeder::billing
