// Coin amounts for orders: a plan's price in US cents turned into the coin's smallest unit at a
// rate, exactly (128-bit integers: BNB's wei overflow 64 bits), and written back as the decimal
// text payment URIs and people read.
#pragma once
#include <cstdint>
#include <string>

namespace tseeder::billing {

// Decimal places of a coin's smallest unit: BTC and LTC 8, USDT 6, BNB 18.
int coin_decimals(const std::string& coin);
// ceil(price / rate) in smallest units, as decimal digits: what the user pays is never short of
// the price. `rate_usd_micros` is one coin in millionths of a dollar (> 0).
std::string smallest_units(std::int64_t usd_cents, std::int64_t rate_usd_micros, int decimals);
// `units` (decimal digits) plus `offset`: the smallest-unit step that tells orders to one address
// apart.
std::string add_units(const std::string& units, std::int64_t offset);
// "485", 2 → "4.85": digits of a whole number of units written with `decimals` places.
std::string fixed_point_text(std::string digits, int decimals);
// "5000", 8 → "0.00005": the coin amount without trailing zeros.
std::string coin_text(const std::string& units, int decimals);

}  // namespace tseeder::billing
