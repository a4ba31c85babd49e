// A payment a chain watcher saw at an address, as the plugin host reads it and billing applies it.
#pragma once
#include <cstdint>
#include <string>

namespace tseeder::billing {

struct ObservedPayment {
  std::string txid;
  std::string amount_units;  // decimal digits, the coin's smallest unit
  std::int64_t confirmations = 0;
};

}  // namespace tseeder::billing
