// Webhook signature vectors: valid (one and several v1), stale and future timestamps, the wrong
// secret, a tampered body, malformed headers.
#include "billing/webhook_signature.h"

#include <gtest/gtest.h>

#include "core/digest.h"
#include "core/error.h"

namespace tseeder::billing {
namespace {

const std::string kSecret = "whsec_test_3f1a9c0e";
const std::string kBody = R"({"id":"evt_1","object":"event","type":"checkout.session.completed"})";
constexpr std::int64_t kNow = 1'765'000'000;

std::string expect_refusal(const std::string& header, const std::string& body = kBody,
                           const std::string& secret = kSecret) {
  try {
    verify_webhook_signature(header, body, secret, kNow);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::unauthenticated);
    return e.message();
  }
  ADD_FAILURE() << "accepted: " << header;
  return {};
}

TEST(WebhookSignatureTest, TheSchemeByHand) {
  // HMAC-SHA256 of "<t>.<body>" under the secret, as hex: the header is built the documented way.
  const std::string sig = hmac_sha256_hex(kSecret, std::to_string(kNow) + "." + kBody);
  EXPECT_EQ(webhook_signature_header(kBody, kSecret, kNow), "t=" + std::to_string(kNow) + ",v1=" + sig);
  EXPECT_NO_THROW(verify_webhook_signature("t=" + std::to_string(kNow) + ",v1=" + sig, kBody, kSecret, kNow));
}

TEST(WebhookSignatureTest, AnyOfSeveralSignaturesAndOtherSchemesIgnored) {
  const std::string good =
      webhook_signature_header(kBody, kSecret, kNow).substr(("t=" + std::to_string(kNow) + ",").size());
  const std::string old = "v1=" + hmac_sha256_hex("whsec_old", std::to_string(kNow) + "." + kBody);
  EXPECT_NO_THROW(
      verify_webhook_signature("t=" + std::to_string(kNow) + "," + old + "," + good + ",v0=abc", kBody, kSecret, kNow));
  EXPECT_NO_THROW(verify_webhook_signature(webhook_signature_header(kBody, kSecret, kNow - 299), kBody, kSecret, kNow));
}

TEST(WebhookSignatureTest, RefusedWithTheReason) {
  EXPECT_NE(expect_refusal(webhook_signature_header(kBody, kSecret, kNow - 301)).find("from now"), std::string::npos);
  EXPECT_NE(expect_refusal(webhook_signature_header(kBody, kSecret, kNow + 301)).find("from now"), std::string::npos);
  EXPECT_NE(expect_refusal(webhook_signature_header(kBody, "whsec_wrong", kNow)).find("matches"), std::string::npos);
  EXPECT_NE(expect_refusal(webhook_signature_header(kBody, kSecret, kNow), kBody + " ").find("matches"),
            std::string::npos);
  EXPECT_NE(expect_refusal("").find("no Stripe-Signature"), std::string::npos);
  EXPECT_NE(expect_refusal("v1=abc").find("timestamp"), std::string::npos);
  EXPECT_NE(expect_refusal("t=12x,v1=abc").find("timestamp"), std::string::npos);
  EXPECT_NE(expect_refusal("t=" + std::to_string(kNow) + ",v0=abc").find("no v1"), std::string::npos);
  EXPECT_NE(expect_refusal(webhook_signature_header(kBody, kSecret, kNow), kBody, "").find("no signing secret"),
            std::string::npos);
}

}  // namespace
}  // namespace tseeder::billing
