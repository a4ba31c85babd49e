// Signatures on controller<->agent requests. The agent signs method, path, timestamp, nonce and
// the body's SHA-256 with its secret (HMAC-SHA256); the controller accepts a request once, within
// five minutes of its timestamp. Nonces are remembered for twice that window, so a captured
// request can be replayed neither while it is fresh nor after.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace tseeder::fleet {

inline constexpr std::int64_t kReplayWindowMs = 5 * 60 * 1000;

// What travels in the X-Tseeder-Agent, -Timestamp, -Nonce and -Signature headers.
struct WireSignature {
  std::string agent;
  std::string timestamp;  // Unix seconds, decimal
  std::string nonce;      // 32 hex characters, fresh per request
  std::string signature;  // lower-case hex HMAC-SHA256
};

// The text that is signed: method, path (with query), timestamp, nonce, hex SHA-256 of the body.
std::string signing_text(std::string_view method, std::string_view path, std::string_view timestamp,
                         std::string_view nonce, std::string_view body);

WireSignature sign_request(const std::string& agent, std::string_view secret, std::string_view method,
                           std::string_view path, std::string_view body, std::int64_t now_ms);

// The controller's answer is signed too (X-Tseeder-Signature), bound to the request's timestamp
// and nonce, so an agent acts only on replies to its own requests from its own controller.
std::string reply_signature(std::string_view secret, std::string_view path, const WireSignature& request,
                            std::string_view body);

enum class WireVerdict { ok, malformed, unknown_agent, stale, replayed, bad_signature };
const char* to_string(WireVerdict v);

// Checks signatures and remembers nonces; one per controller, used on its event loop.
class WireVerifier {
 public:
  // The secret of an agent, or nullopt when there is no such (active) agent.
  using SecretOf = std::function<std::optional<std::string>(const std::string& agent)>;
  WireVerifier(const Clock& clock, SecretOf secret_of) : clock_(clock), secret_of_(std::move(secret_of)) {}
  // A nonce counts as used only when everything else checked out, so forged requests cannot
  // burn nonces of genuine ones.
  WireVerdict verify(const WireSignature& sig, std::string_view method, std::string_view path, std::string_view body);
  // What can be checked before the body arrives: the headers' shape, the timestamp's window and
  // that the agent is known (any name passes when `agent_known` is not asked).
  WireVerdict precheck(const WireSignature& sig, bool agent_known = true);
  // The same with a secret the caller knows (a registration is signed with its join token).
  WireVerdict verify_with(const WireSignature& sig, std::string_view method, std::string_view path,
                          std::string_view body, const std::string& secret);

 private:
  WireVerdict check_headers(const WireSignature& sig, std::int64_t now_ms) const;
  WireVerdict check(const WireSignature& sig, std::string_view method, std::string_view path, std::string_view body,
                    const std::function<std::optional<std::string>()>& secret_of);
  void forget_old(std::int64_t now_ms);
  const Clock& clock_;
  SecretOf secret_of_;
  std::set<std::string> seen_;                          // agent + "/" + nonce
  std::multimap<std::int64_t, std::string> by_expiry_;  // when each may be forgotten
};

}  // namespace tseeder::fleet
