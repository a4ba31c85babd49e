// The link a wallet app opens to pay an order: the address, the exact amount and, for a token,
// which token. One form per network, as wallets on that network read them.
#pragma once
#include <string>

namespace tseeder::billing {

// `units`: the amount in the coin's smallest unit (decimal digits).
//   bitcoin, litecoin  BIP-21:       bitcoin:ADDR?amount=0.00012345
//   tron (USDT)        TRON wallets: tron:ADDR?amount=4.85&token=<USDT contract>
//   solana (USDT)      Solana Pay:   solana:ADDR?amount=4.85&spl-token=<USDT mint>
//   polygon (USDT)     EIP-681:      ethereum:<USDT contract>@137/transfer?address=ADDR&uint256=<units>
//   bsc (BNB)          EIP-681:      ethereum:ADDR@56?value=<wei>
std::string payment_uri(const std::string& coin, const std::string& network, const std::string& address,
                        const std::string& units);
// The token contract (or mint) a coin is paid with on a network; empty for the network's own coin.
std::string token_contract(const std::string& coin, const std::string& network);

}  // namespace tseeder::billing
