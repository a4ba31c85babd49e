#include "billing/webhook_signature.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/digest.h"
#include "core/error.h"
#include "core/secrets.h"

namespace tseeder::billing {
namespace {

Error refused(const std::string& why) {
  return Error(Errc::unauthenticated, "webhook signature refused: " + why,
               "check billing.card.webhook_secret against the endpoint's signing secret");
}

}  // namespace

void verify_webhook_signature(const std::string& header, const std::string& payload, const std::string& secret,
                              std::int64_t now_s, std::int64_t tolerance_s) {
  if (secret.empty()) throw refused("no signing secret is set");
  if (header.empty()) throw refused("no Stripe-Signature header");
  std::string t;
  std::vector<std::string> v1;
  std::size_t start = 0;
  while (start <= header.size()) {
    const auto end = std::min(header.find(',', start), header.size());
    const std::string item = header.substr(start, end - start);
    const auto eq = item.find('=');
    if (eq != std::string::npos) {
      const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
      if (key == "t") t = value;
      if (key == "v1") v1.push_back(value);
    }
    start = end + 1;
  }
  if (t.empty() || t.size() > 12 || !std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(c); }))
    throw refused("no timestamp in the header");
  if (v1.empty()) throw refused("no v1 signature in the header");
  const std::int64_t at = std::stoll(t);
  if (at < now_s - tolerance_s || at > now_s + tolerance_s)
    throw refused("its timestamp is more than " + std::to_string(tolerance_s) + " s from now");
  const std::string want = hmac_sha256_hex(secret, t + "." + payload);
  for (const auto& sig : v1)
    if (equal_constant_time(sig, want)) return;
  throw refused("no signature matches the body");
}

std::string webhook_signature_header(const std::string& payload, const std::string& secret, std::int64_t t) {
  return "t=" + std::to_string(t) + ",v1=" + hmac_sha256_hex(secret, std::to_string(t) + "." + payload);
}

}  // namespace tseeder::billing
