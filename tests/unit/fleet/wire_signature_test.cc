// Signed controller<->agent requests: a genuine request passes once; a replay, a request older
// or newer than 5 minutes, one signed with another secret or for another method, path or body,
// an unknown agent and malformed headers are refused, each with its own verdict.
#include "fleet/wire_signature.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "core/digest.h"
#include "manual_clock.h"

namespace tseeder::fleet {
namespace {

const std::string kSecret = "agent-secret-0123456789abcdef";

class WireSignatureTest : public ::testing::Test {
 protected:
  WireSignatureTest()
      : verifier_(clock_, [](const std::string& agent) -> std::optional<std::string> {
          if (agent == "a1") return kSecret;
          return std::nullopt;
        }) {}
  WireSignature sign(std::string_view body = R"({"active":2})") {
    return sign_request("a1", kSecret, "POST", "/fleet/v1/heartbeat", body, clock_.now);
  }
  WireVerdict check(const WireSignature& s, std::string_view body = R"({"active":2})", std::string_view method = "POST",
                    std::string_view path = "/fleet/v1/heartbeat") {
    return verifier_.verify(s, method, path, body);
  }

  ManualClock clock_;
  WireVerifier verifier_;
};

TEST_F(WireSignatureTest, TheSignedTextNamesEveryPart) {
  EXPECT_EQ(signing_text("POST", "/fleet/v1/events?x=1", "1700000000", "00ff", "abc"),
            "POST\n/fleet/v1/events?x=1\n1700000000\n00ff\n" + sha256_hex("abc"));
}

TEST_F(WireSignatureTest, AGenuineRequestPassesOnce) {
  const auto s = sign();
  EXPECT_EQ(s.nonce.size(), 32u);
  EXPECT_EQ(check(s), WireVerdict::ok);
  EXPECT_EQ(check(s), WireVerdict::replayed);
  clock_.now += 4 * 60 * 1000;  // still inside the window: still a replay
  EXPECT_EQ(check(s), WireVerdict::replayed);
  EXPECT_EQ(check(sign()), WireVerdict::ok);  // a fresh nonce
}

TEST_F(WireSignatureTest, FiveMinutesEitherWay) {
  const auto old = sign();
  const auto edge = sign();
  clock_.now += kReplayWindowMs;
  EXPECT_EQ(check(edge), WireVerdict::ok);
  clock_.now += 1000;
  EXPECT_EQ(check(old), WireVerdict::stale);
  const auto future = sign_request("a1", kSecret, "POST", "/fleet/v1/heartbeat", R"({"active":2})",
                                   clock_.now + kReplayWindowMs + 1000);
  EXPECT_EQ(check(future), WireVerdict::stale);
  // Long after, a replay of the accepted one is refused as stale: its nonce may be forgotten.
  clock_.now += 3 * kReplayWindowMs;
  EXPECT_EQ(check(edge), WireVerdict::stale);
}

TEST_F(WireSignatureTest, AnythingChangedBreaksTheSignature) {
  EXPECT_EQ(check(sign(), R"({"active":3})"), WireVerdict::bad_signature);
  EXPECT_EQ(check(sign(), R"({"active":2})", "PUT"), WireVerdict::bad_signature);
  EXPECT_EQ(check(sign(), R"({"active":2})", "POST", "/fleet/v1/events"), WireVerdict::bad_signature);
  auto other = sign_request("a1", "another secret", "POST", "/fleet/v1/heartbeat", R"({"active":2})", clock_.now);
  EXPECT_EQ(check(other), WireVerdict::bad_signature);
  auto moved = sign();
  moved.timestamp = std::to_string(std::stoll(moved.timestamp) - 1);
  EXPECT_EQ(check(moved), WireVerdict::bad_signature);
}

TEST_F(WireSignatureTest, AForgedRequestDoesNotSpendTheNonceOfAGenuineOne) {
  const auto genuine = sign();
  auto forged = genuine;
  forged.signature = std::string(64, '0');
  EXPECT_EQ(check(forged), WireVerdict::bad_signature);
  EXPECT_EQ(check(genuine), WireVerdict::ok);
}

TEST_F(WireSignatureTest, UnknownAgentsAndMalformedHeaders) {
  auto s = sign();
  s.agent = "a2";
  EXPECT_EQ(check(s), WireVerdict::unknown_agent);
  const auto good = sign();
  const std::vector<std::function<void(WireSignature&)>> breaks = {
      [](WireSignature& w) { w.agent.clear(); },
      [](WireSignature& w) { w.timestamp = "12x"; },
      [](WireSignature& w) { w.timestamp.clear(); },
      [](WireSignature& w) { w.nonce = "xyz"; },
      [](WireSignature& w) { w.signature = w.signature.substr(1); },
      [](WireSignature& w) { w.signature[0] = 'G'; },
  };
  for (std::size_t i = 0; i < breaks.size(); ++i) {
    auto bad = good;
    breaks[i](bad);
    EXPECT_EQ(check(bad), WireVerdict::malformed) << "case " << i;
  }
  EXPECT_EQ(check(good), WireVerdict::ok);  // none of them spent its nonce
}

}  // namespace
}  // namespace tseeder::fleet
