#include "plugin/chain_watcher.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"
#include "core/json_util.h"

namespace tseeder::plugin {
namespace {

constexpr std::size_t kFirstBuffer = 64 * 1024;
constexpr std::size_t kMostBuffer = 16u << 20;
constexpr std::size_t kMostPayments = 10'000;

bool whole_at_least_zero(const Json& v) {
  return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
}

bool all_of(const std::string& s, int (*ok)(int)) {
  return std::all_of(s.begin(), s.end(), [ok](char c) { return ok(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

AddressPayments parse_address_payments(const std::string& text, const std::string& plugin) {
  auto bad = [&plugin](const std::string& what) {
    return Error(Errc::plugin, "chain watcher " + plugin + " answered " + what, "see the plugin's log lines");
  };
  const Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw bad("something that is not a JSON object");
  if (!j.contains("tipHeight") || !whole_at_least_zero(j["tipHeight"])) throw bad("no whole tipHeight");
  if (!j.contains("payments") || !j["payments"].is_array()) throw bad("no payments list");
  if (j["payments"].size() > kMostPayments) throw bad("more than 10000 payments");
  AddressPayments out;
  out.tip_height = j["tipHeight"].get<std::int64_t>();
  for (const auto& p : j["payments"]) {
    if (!p.is_object() || !p.contains("txid") || !p["txid"].is_string() || !p.contains("amountUnits") ||
        !p["amountUnits"].is_string() || !p.contains("confirmations") || !whole_at_least_zero(p["confirmations"]))
      throw bad("a payment without a txid, amountUnits or whole confirmations");
    billing::ObservedPayment s{p["txid"].get<std::string>(), p["amountUnits"].get<std::string>(),
                               p["confirmations"].get<std::int64_t>()};
    if (s.txid.empty() || s.txid.size() > 128 || !all_of(s.txid, std::isalnum))
      throw bad("a txid that is not 1 to 128 letters and digits");
    if (s.amount_units.empty() || s.amount_units.size() > 36 || !all_of(s.amount_units, std::isdigit))
      throw bad("an amountUnits that is not 1 to 36 digits");
    out.payments.push_back(std::move(s));
  }
  return out;
}

AddressPayments ChainWatcher::payments(const std::string& network, const std::string& address) const {
  std::lock_guard lock(one_call_);
  std::string buf(kFirstBuffer, '\0');
  for (;;) {
    char err[512] = {0};
    const long n = api_.payments(self_, network.c_str(), address.c_str(), buf.data(), buf.size(), err, sizeof err);
    err[sizeof err - 1] = '\0';
    if (n < 0)
      throw Error(Errc::plugin, "chain watcher " + name_ + " could not read " + network + " address " + address + ": " +
                                    (err[0] ? err : "no reason given"));
    if (static_cast<std::size_t>(n) < buf.size()) return parse_address_payments(buf.substr(0, n), name_);
    if (buf.size() >= kMostBuffer) throw Error(Errc::plugin, "chain watcher " + name_ + " answered over 16 MiB");
    buf.assign(std::min(kMostBuffer, std::max(buf.size() * 2, static_cast<std::size_t>(n) + 1)), '\0');
  }
}

}  // namespace tseeder::plugin
