#include "esplora_client.h"

#include <curl/curl.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tseeder::chain_esplora {
namespace {

constexpr std::size_t kMostBody = 8u << 20;

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * n > kMostBody) return 0;  // ends the transfer
  body->append(data, size * n);
  return size * n;
}

std::string get(const ClientSettings& s, const std::string& path) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw std::runtime_error("could not start an HTTP request");
  std::string url = s.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += path;
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, s.timeout_s);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "tseeder-chain-esplora");
  const CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) throw std::runtime_error("GET " + path + ": " + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200)
    throw std::runtime_error("GET " + path + " answered HTTP " + std::to_string(status) + ": " + body.substr(0, 200));
  return body;
}

// An address as part of a URL path: only the characters addresses are made of.
std::string path_safe(const std::string& address) {
  for (char c : address)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      throw std::runtime_error("not an address: " + address.substr(0, 100));
  return address;
}

}  // namespace

AddressReport parse_address(const std::string& tip, const std::string& txs_text, const std::string& address) {
  AddressReport out;
  std::size_t used = 0;
  try {
    out.tip_height = std::stoll(tip, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || out.tip_height < 0) throw std::runtime_error("the tip height is not a number: " + tip.substr(0, 40));
  const auto txs = nlohmann::json::parse(txs_text, nullptr, false);
  if (!txs.is_array()) throw std::runtime_error("the address's transactions are not a JSON array");
  for (const auto& tx : txs) {
    if (!tx.is_object() || !tx.contains("txid") || !tx["txid"].is_string() || !tx.contains("vout") ||
        !tx["vout"].is_array() || !tx.contains("status") || !tx["status"].is_object())
      throw std::runtime_error("a transaction without txid, vout or status");
    std::uint64_t paid = 0;
    for (const auto& out_ : tx["vout"]) {
      if (!out_.is_object() || !out_.contains("value") || !out_["value"].is_number_unsigned())
        throw std::runtime_error("an output without a whole value");
      if (out_.value("scriptpubkey_address", "") == address) paid += out_["value"].get<std::uint64_t>();
    }
    if (paid == 0) continue;  // spent from the address, or paid elsewhere
    const auto& st = tx["status"];
    std::int64_t confirmations = 0;
    if (st.value("confirmed", false)) {
      if (!st.contains("block_height") || !st["block_height"].is_number_integer())
        throw std::runtime_error("a confirmed transaction without a block height");
      confirmations = std::max<std::int64_t>(0, out.tip_height - st["block_height"].get<std::int64_t>() + 1);
    }
    out.payments.push_back({tx["txid"].get<std::string>(), std::to_string(paid), confirmations});
  }
  return out;
}

AddressReport read_address(const ClientSettings& s, const std::string& address) {
  // The tip first: a block found between the two calls only makes confirmations one lower.
  const std::string tip = get(s, "/blocks/tip/height");
  return parse_address(tip, get(s, "/address/" + path_safe(address) + "/txs"), address);
}

}  // namespace tseeder::chain_esplora
