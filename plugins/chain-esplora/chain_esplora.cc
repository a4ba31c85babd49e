// The Esplora chain-watcher plugin: follows bitcoin and litecoin payments through the Esplora
// HTTP APIs set in chain_esplora.bitcoin_url and chain_esplora.litecoin_url (a network without a
// URL is not watched).
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "esplora_client.h"
#include "plugin_support.h"

namespace {

using namespace tseeder;
using plugin_support::config_long;
using plugin_support::config_text;
using plugin_support::copy_err;

struct State {
  std::map<std::string, chain_esplora::ClientSettings> networks;  // network → its API
};

tseeder_status init(const tseeder_host_api* host, void** self, char* err, size_t err_len) {
  if (!self) {
    copy_err(err, err_len, "no place for the plugin state");
    return TSEEDER_INVALID;
  }
  auto state = std::make_unique<State>();
  const long timeout = config_long(host, "chain_esplora.timeout_s", 20);
  for (const char* network : {"bitcoin", "litecoin"}) {
    std::string url;
    if (config_text(host, (std::string("chain_esplora.") + network + "_url").c_str(), url) && !url.empty())
      state->networks[network] = {url, timeout};
  }
  *self = state.release();
  return TSEEDER_OK;
}

void shutdown(void* self) {
  delete static_cast<State*>(self);
}

int watches(void* self, const char* network) {
  return self && network && static_cast<State*>(self)->networks.count(network) ? 1 : 0;
}

long payments(void* self, const char* network, const char* address, char* json, size_t len, char* err, size_t err_len) {
  try {
    if (!self || !network || !address || !json) throw std::runtime_error("missing arguments");
    const auto& nets = static_cast<State*>(self)->networks;
    const auto it = nets.find(network);
    if (it == nets.end()) throw std::runtime_error(std::string("no Esplora URL is set for ") + network);
    const auto report = chain_esplora::read_address(it->second, address);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : report.payments)
      list.push_back({{"txid", p.txid}, {"amountUnits", p.amount_units}, {"confirmations", p.confirmations}});
    const std::string text = nlohmann::json{{"tipHeight", report.tip_height}, {"payments", list}}.dump();
    if (text.size() < len) std::memcpy(json, text.c_str(), text.size() + 1);
    return static_cast<long>(text.size());
  } catch (const std::exception& e) {
    copy_err(err, err_len, e.what());
    return -1;
  }
}

constexpr tseeder_chain_watcher_api kWatcher{sizeof(tseeder_chain_watcher_api), watches, payments};

constexpr tseeder_plugin_descriptor kDescriptor{sizeof(tseeder_plugin_descriptor),
                                                TSEEDER_ABI_MAJOR,
                                                TSEEDER_ABI_MINOR,
                                                TSEEDER_KIND_CHAIN_WATCHER,
                                                "chain-esplora",
                                                TSEEDER_WATCHER_VERSION,
                                                "payments to bitcoin and litecoin addresses from Esplora HTTP APIs",
                                                init,
                                                shutdown,
                                                nullptr,
                                                nullptr,
                                                &kWatcher};

}  // namespace

extern "C" TSEEDER_PLUGIN_EXPORT const tseeder_plugin_descriptor* tseeder_plugin_entry(const tseeder_host_api*) {
  return &kDescriptor;
}
