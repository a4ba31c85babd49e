// C++ face of a chain-watcher plugin: what an address has received, read from the plugin's JSON
// and checked before anything trusts it. Calls may block on the network: never on the loop.
#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "model/payment.h"
#include "tseeder/plugin.h"

namespace tseeder::plugin {

struct AddressPayments {
  std::int64_t tip_height = 0;
  std::vector<billing::ObservedPayment> payments;
};

class ChainWatcher {
 public:
  ChainWatcher(std::string name, const tseeder_chain_watcher_api& api, void* self)
      : name_(std::move(name)), api_(api), self_(self) {}
  const std::string& name() const { return name_; }
  bool watches(const std::string& network) const { return api_.watches(self_, network.c_str()) == 1; }
  // Error(plugin) naming the plugin when it gives no answer or a malformed one.
  AddressPayments payments(const std::string& network, const std::string& address) const;

 private:
  std::string name_;
  tseeder_chain_watcher_api api_;
  void* self_;
  mutable std::mutex one_call_;  // the ABI promises plugins one call at a time
};

// The plugin's answer checked: an object with a whole tipHeight ≥ 0 and payments each with a txid
// of 1 to 128 letters and digits, amountUnits of 1 to 36 digits and whole confirmations ≥ 0;
// Error(plugin) saying what is wrong otherwise.
AddressPayments parse_address_payments(const std::string& json, const std::string& plugin);

}  // namespace tseeder::plugin
