// Card-processor webhooks in the Stripe scheme: the `Stripe-Signature` header carries `t=` (Unix
// seconds) and one or more `v1=` signatures, each a hex HMAC-SHA256 of "<t>.<raw body>" under the
// endpoint's signing secret; several appear while a secret is being rolled. A request is taken
// when any v1 matches and t is within the tolerance of now (both ways: replays and skewed clocks).
#pragma once
#include <cstdint>
#include <string>

namespace tseeder::billing {

constexpr std::int64_t kWebhookToleranceS = 300;

// Error(unauthenticated) saying what is wrong: no or malformed header, no v1 signature, a
// timestamp outside the tolerance, or no signature that matches.
void verify_webhook_signature(const std::string& header, const std::string& payload, const std::string& secret,
                              std::int64_t now_s, std::int64_t tolerance_s = kWebhookToleranceS);
// The header a sender with `secret` writes for `payload` at `t` (tests and tools).
std::string webhook_signature_header(const std::string& payload, const std::string& secret, std::int64_t t);

}  // namespace tseeder::billing
