// The coins and networks payments are taken on, and whether a receiving address is one of that
// network's: a typo in an address loses every payment sent to it, so each is checked with its
// network's own checksum before it is saved.
#pragma once
#include <string>
#include <vector>

namespace tseeder::billing {

struct CoinNetwork {
  std::string coin;     // BTC, LTC, USDT, BNB
  std::string network;  // bitcoin, litecoin, tron, solana, polygon, bsc
};

const std::vector<CoinNetwork>& coin_networks();
// As people type them: coins are upper-cased ("btc" → "BTC"), networks lower-cased.
std::string coin_name(std::string text);
std::string network_name(std::string text);
std::string coin_networks_text();  // "BTC on bitcoin, …", for messages
// Error(invalid_argument) naming the pairs taken, when `coin` is not paid on `network`.
void check_coin_network(const std::string& coin, const std::string& network);
// Error(invalid_argument, field "address") saying what is wrong: not this network's form, a bad
// checksum, another network's (a testnet) address.
void check_address(const std::string& network, const std::string& address);
// The EIP-55 mixed-case form of a 0x address (40 hex digits after 0x, any case).
std::string eip55(const std::string& address);

}  // namespace tseeder::billing
