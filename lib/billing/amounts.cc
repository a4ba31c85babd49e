#include "billing/amounts.h"

#include <algorithm>

#include "core/error.h"

namespace tseeder::billing {
namespace {

using u128 = unsigned __int128;

std::string digits_of(u128 v) {
  std::string out;
  do {
    out.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v);
  std::reverse(out.begin(), out.end());
  return out;
}

u128 parse_units(const std::string& text) {
  if (text.empty() || text.size() > 36 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw Error(Errc::invalid_argument, "'" + text.substr(0, 40) + "' is not an amount in smallest units");
  u128 v = 0;
  for (char c : text) v = v * 10 + static_cast<unsigned>(c - '0');
  return v;
}

}  // namespace

int coin_decimals(const std::string& coin) {
  if (coin == "BTC" || coin == "LTC") return 8;
  if (coin == "USDT") return 6;
  if (coin == "BNB") return 18;
  throw Error(Errc::invalid_argument, "coin '" + coin.substr(0, 20) + "' is not taken", "BTC, LTC, USDT or BNB",
              "coin");
}

std::string smallest_units(std::int64_t usd_cents, std::int64_t rate_usd_micros, int decimals) {
  // Both bounded by the admin checks (cents ≤ 10^8, decimals ≤ 18): the product stays under 10^30.
  if (usd_cents <= 0 || rate_usd_micros <= 0 || decimals < 0 || decimals > 18 || usd_cents > 100'000'000)
    throw Error(Errc::invalid_argument, "a price and a rate above zero are needed for an amount");
  u128 scaled = static_cast<u128>(usd_cents);
  for (int i = 0; i < decimals + 4; ++i) scaled *= 10;  // cents → micro-dollars, coins → smallest units
  const u128 rate = static_cast<u128>(rate_usd_micros);
  return digits_of((scaled + rate - 1) / rate);
}

std::string add_units(const std::string& units, std::int64_t offset) {
  if (offset < 0) throw Error(Errc::invalid_argument, "an offset below zero");
  return digits_of(parse_units(units) + static_cast<u128>(offset));
}

std::string fixed_point_text(std::string digits, int decimals) {
  if (decimals <= 0) return digits;
  if (digits.size() <= static_cast<std::size_t>(decimals)) digits.insert(0, decimals + 1 - digits.size(), '0');
  digits.insert(digits.size() - decimals, ".");
  return digits;
}

std::string coin_text(const std::string& units, int decimals) {
  std::string text = fixed_point_text(digits_of(parse_units(units)), decimals);
  if (decimals <= 0) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace tseeder::billing
