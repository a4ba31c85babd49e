// Esplora's HTTP API as the watcher uses it (github.com/Blockstream/esplora, API.md): the tip's
// height (GET /blocks/tip/height, plain text) and an address's transactions, newest first (GET
// /address/:address/txs: up to 50 unconfirmed and the 25 newest confirmed), each with its
// outputs (`vout[].scriptpubkey_address`, `vout[].value` in satoshis) and `status` (`confirmed`,
// `block_height`).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tseeder::chain_esplora {

struct Payment {
  std::string txid;
  std::string amount_units;  // what the transaction paid to the address, decimal satoshis
  std::int64_t confirmations = 0;
};

struct AddressReport {
  std::int64_t tip_height = 0;
  std::vector<Payment> payments;  // transactions that paid the address something
};

struct ClientSettings {
  std::string base_url;  // e.g. https://blockstream.info/api (no trailing slash needed)
  long timeout_s = 20;
};

// Throws std::runtime_error saying which call failed and why.
AddressReport read_address(const ClientSettings& s, const std::string& address);
// The parsing alone: `tip` as the API writes it, `txs` the JSON array.
AddressReport parse_address(const std::string& tip, const std::string& txs, const std::string& address);

}  // namespace tseeder::chain_esplora
