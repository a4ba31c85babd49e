#include "billing/payment_uri.h"

#include "billing/amounts.h"
#include "core/error.h"

namespace tseeder::billing {

std::string token_contract(const std::string& coin, const std::string& network) {
  if (coin != "USDT") return {};
  // Tether's own contracts, as tether.to lists them per network.
  if (network == "tron") return "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
  if (network == "solana") return "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB";
  if (network == "polygon") return "0xc2132D05D31c914a87C6611C10748AEb04B58e8F";
  throw Error(Errc::invalid_argument, "USDT is not taken on " + network);
}

std::string payment_uri(const std::string& coin, const std::string& network, const std::string& address,
                        const std::string& units) {
  const std::string amount = coin_text(units, coin_decimals(coin));
  if (network == "bitcoin" || network == "litecoin") return network + ":" + address + "?amount=" + amount;
  if (network == "tron") return "tron:" + address + "?amount=" + amount + "&token=" + token_contract(coin, network);
  if (network == "solana")
    return "solana:" + address + "?amount=" + amount + "&spl-token=" + token_contract(coin, network);
  if (network == "polygon")
    return "ethereum:" + token_contract(coin, network) + "@137/transfer?address=" + address + "&uint256=" + units;
  if (network == "bsc") return "ethereum:" + address + "@56?value=" + units;
  throw Error(Errc::invalid_argument, "no payment link form for " + coin + " on " + network);
}

}  // namespace tseeder::billing
