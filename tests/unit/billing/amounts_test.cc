// Plan prices turned into coin amounts: exact, rounded up, and past 64 bits for BNB's wei.
#include "billing/amounts.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace tseeder::billing {
namespace {

TEST(AmountsTest, PricesBecomeSmallestUnitsRoundedUp) {
  // 4.85 USD at 97,000 USD per BTC is exactly 5,000 satoshis.
  EXPECT_EQ(smallest_units(485, 97'000'000'000, coin_decimals("BTC")), "5000");
  // A rate with micro-dollars: never short of the price.
  EXPECT_EQ(smallest_units(485, 97'000'123'456, 8), "5000");
  EXPECT_EQ(smallest_units(100, 300'000'000, 8), "333334");  // 1 USD at 3 USD: 0.33333334 LTC
  EXPECT_EQ(smallest_units(885, 1'000'000, coin_decimals("USDT")), "8850000");
  // 15.89 USD at 600 USD per BNB: 0.026483333… BNB, in wei (beyond 2^53, within 128 bits).
  EXPECT_EQ(smallest_units(1589, 600'000'000, coin_decimals("BNB")), "26483333333333334");
  // The most a price may be at the least a rate may be: 10^30 wei fits.
  EXPECT_EQ(smallest_units(100'000'000, 1, 18), "1" + std::string(30, '0'));
  EXPECT_THROW(smallest_units(485, 0, 8), Error);
  EXPECT_THROW(smallest_units(0, 1'000'000, 8), Error);
  EXPECT_THROW(coin_decimals("DOGE"), Error);
}

TEST(AmountsTest, OffsetsAndText) {
  EXPECT_EQ(add_units("5000", 3), "5003");
  EXPECT_EQ(add_units("18446744073709551615", 1), "18446744073709551616");  // past 64 bits
  EXPECT_THROW(add_units("12a", 1), Error);
  EXPECT_EQ(coin_text("5000", 8), "0.00005");
  EXPECT_EQ(coin_text("8850000", 6), "8.85");
  EXPECT_EQ(coin_text("100000000", 8), "1");
  EXPECT_EQ(coin_text("26483333333333334", 18), "0.026483333333333334");
  EXPECT_EQ(coin_text("0", 8), "0");
}

}  // namespace
}  // namespace tseeder::billing
