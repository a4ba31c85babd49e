// Payment links per network, token contracts that are well-formed addresses of their networks,
// transaction ids in each network's form, and QR images that hold what they should.
#include "billing/payment_uri.h"

#include <gtest/gtest.h>

#include "billing/address_check.h"
#include "billing/order_confirmations.h"
#include "core/error.h"
#include "core/qr_code.h"

#include <algorithm>

namespace tseeder::billing {
namespace {

TEST(PaymentUriTest, OneFormPerNetwork) {
  EXPECT_EQ(payment_uri("BTC", "bitcoin", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "5001"),
            "bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.00005001");
  EXPECT_EQ(payment_uri("LTC", "litecoin", "ltc1qaddr", "100000000"), "litecoin:ltc1qaddr?amount=1");
  EXPECT_EQ(payment_uri("USDT", "tron", "TADDR", "4850001"),
            "tron:TADDR?amount=4.850001&token=TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");
  EXPECT_EQ(payment_uri("USDT", "solana", "SADDR", "4850000"),
            "solana:SADDR?amount=4.85&spl-token=Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB");
  // EIP-681: a token transfer names the contract and the chain; amounts in the smallest unit.
  EXPECT_EQ(payment_uri("USDT", "polygon", "0xADDR", "4850000"),
            "ethereum:0xc2132D05D31c914a87C6611C10748AEb04B58e8F@137/transfer?address=0xADDR&uint256=4850000");
  EXPECT_EQ(payment_uri("BNB", "bsc", "0xADDR", "26483333340000000"), "ethereum:0xADDR@56?value=26483333340000000");
  EXPECT_THROW(payment_uri("BTC", "dogechain", "x", "1"), Error);
}

TEST(PaymentUriTest, TokenContractsAreAddressesOfTheirNetworks) {
  for (const auto* network : {"tron", "solana", "polygon"})
    EXPECT_NO_THROW(check_address(network, token_contract("USDT", network))) << network;
  EXPECT_EQ(token_contract("BTC", "bitcoin"), "");
  EXPECT_EQ(token_contract("BNB", "bsc"), "");
}

TEST(PaymentUriTest, TransactionIdsInTheirNetworksForm) {
  const std::string hex(64, 'a');
  EXPECT_EQ(check_txid("bitcoin", std::string(64, 'A')), hex);
  EXPECT_EQ(check_txid("tron", hex), hex);
  EXPECT_EQ(check_txid("polygon", "0x" + std::string(64, 'B')), "0x" + std::string(64, 'b'));
  EXPECT_EQ(check_txid("bsc", hex), "0x" + hex);
  EXPECT_THROW(check_txid("bitcoin", "0x" + hex), Error);
  EXPECT_THROW(check_txid("bitcoin", hex.substr(1)), Error);
  EXPECT_THROW(check_txid("litecoin", hex.substr(1) + "g"), Error);
  const std::string sig(88, '5');
  EXPECT_EQ(check_txid("solana", sig), sig);
  EXPECT_THROW(check_txid("solana", std::string(88, '0')), Error);  // 0 is not base58
  EXPECT_THROW(check_txid("solana", sig.substr(0, 40)), Error);
}

TEST(QrCodeTest, ImagesKeepTheQuietZoneAndTheModules) {
  const auto qr = QrCode::encode("bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=0.00005001");
  ASSERT_GE(qr.size(), 21);
  EXPECT_TRUE(qr.dark(0, 0));  // a finder pattern's corner
  EXPECT_FALSE(qr.dark(-1, 0));
  const std::string png = qr.png(2);
  ASSERT_GT(png.size(), 33u);
  EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
  const auto side = (static_cast<unsigned char>(png[18]) << 8) | static_cast<unsigned char>(png[19]);
  EXPECT_EQ(side, (qr.size() + 8) * 2);
  // The terminal form: (size + 8) columns and half as many lines, rounded up.
  const std::string text = qr.terminal();
  EXPECT_EQ(static_cast<int>(std::count(text.begin(), text.end(), '\n')), (qr.size() + 8 + 1) / 2);
  EXPECT_NE(qr.svg().find("viewBox=\"0 0 " + std::to_string(qr.size() + 8)), std::string::npos);
  EXPECT_THROW(QrCode::encode(std::string(8000, 'x')), Error);
}

}  // namespace
}  // namespace tseeder::billing
