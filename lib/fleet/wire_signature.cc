#include "fleet/wire_signature.h"

#include <charconv>

#include "core/digest.h"
#include "core/ids.h"
#include "core/secrets.h"

namespace tseeder::fleet {

std::string signing_text(std::string_view method, std::string_view path, std::string_view timestamp,
                         std::string_view nonce, std::string_view body) {
  std::string out;
  out.append(method).append("\n").append(path).append("\n").append(timestamp).append("\n").append(nonce);
  out.append("\n").append(sha256_hex(body));
  return out;
}

WireSignature sign_request(const std::string& agent, std::string_view secret, std::string_view method,
                           std::string_view path, std::string_view body, std::int64_t now_ms) {
  WireSignature s;
  s.agent = agent;
  s.timestamp = std::to_string(now_ms / 1000);
  s.nonce = random_hex_id(16);
  s.signature = hmac_sha256_hex(secret, signing_text(method, path, s.timestamp, s.nonce, body));
  return s;
}

const char* to_string(WireVerdict v) {
  switch (v) {
    case WireVerdict::ok:
      return "ok";
    case WireVerdict::malformed:
      return "malformed signature headers";
    case WireVerdict::unknown_agent:
      return "unknown agent";
    case WireVerdict::stale:
      return "timestamp outside the 5-minute window";
    case WireVerdict::replayed:
      return "nonce used before (replay)";
    case WireVerdict::bad_signature:
      return "signature does not match";
  }
  return "?";
}

WireVerdict WireVerifier::verify(const WireSignature& sig, std::string_view method, std::string_view path,
                                 std::string_view body) {
  return check(sig, method, path, body, [&] { return secret_of_(sig.agent); });
}

WireVerdict WireVerifier::verify_with(const WireSignature& sig, std::string_view method, std::string_view path,
                                      std::string_view body, const std::string& secret) {
  return check(sig, method, path, body, [&] { return std::optional<std::string>(secret); });
}

WireVerdict WireVerifier::check_headers(const WireSignature& sig, std::int64_t now_ms) const {
  std::int64_t ts_s = 0;
  const auto* end = sig.timestamp.data() + sig.timestamp.size();
  if (sig.agent.empty() || sig.agent.size() > 64 || sig.timestamp.empty() || sig.timestamp.size() > 12 ||
      std::from_chars(sig.timestamp.data(), end, ts_s).ptr != end || !is_lower_hex(sig.nonce, 32) ||
      !is_lower_hex(sig.signature, 64))
    return WireVerdict::malformed;
  const std::int64_t skew = now_ms - ts_s * 1000;
  if (skew > kReplayWindowMs || skew < -kReplayWindowMs) return WireVerdict::stale;
  return WireVerdict::ok;
}

WireVerdict WireVerifier::precheck(const WireSignature& sig, bool agent_known) {
  if (auto v = check_headers(sig, clock_.now_ms()); v != WireVerdict::ok) return v;
  return !agent_known || secret_of_(sig.agent) ? WireVerdict::ok : WireVerdict::unknown_agent;
}

WireVerdict WireVerifier::check(const WireSignature& sig, std::string_view method, std::string_view path,
                                std::string_view body, const std::function<std::optional<std::string>()>& secret_of) {
  const auto now = clock_.now_ms();
  if (auto v = check_headers(sig, now); v != WireVerdict::ok) return v;
  forget_old(now);
  const auto secret = secret_of();
  if (!secret) return WireVerdict::unknown_agent;
  const std::string expected = hmac_sha256_hex(*secret, signing_text(method, path, sig.timestamp, sig.nonce, body));
  if (!equal_constant_time(expected, sig.signature)) return WireVerdict::bad_signature;
  auto key = sig.agent + "/" + sig.nonce;
  if (!seen_.insert(key).second) return WireVerdict::replayed;
  by_expiry_.emplace(now + 2 * kReplayWindowMs, std::move(key));
  return WireVerdict::ok;
}

std::string reply_signature(std::string_view secret, std::string_view path, const WireSignature& request,
                            std::string_view body) {
  return hmac_sha256_hex(secret, signing_text("REPLY", path, request.timestamp, request.nonce, body));
}

void WireVerifier::forget_old(std::int64_t now_ms) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first < now_ms) {
    seen_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
}

}  // namespace tseeder::fleet
