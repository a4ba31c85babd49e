// Join tokens are spent by their first registration, refused after 24 h, and a malformed,
// unknown or wrong-secret token is refused with one message that says nothing of which.
#include "fleet/join_tokens.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "manual_clock.h"
#include "store/migrations.h"

namespace tseeder::fleet {
namespace {

class JoinTokensTest : public ::testing::Test {
 protected:
  JoinTokensTest() : db_(":memory:"), audit_(db_, clock_), limiter_(clock_), tokens_(db_, clock_, audit_, limiter_) {
    store::migrate_up(db_);
    admin_.user = UserId{"00000000000000ad"};
    admin_.role = auth::Role::admin;
  }
  std::string make() { return tokens_.create(admin_, std::string("test box"), {}).token; }
  std::string refusal(const std::string& token) {
    try {
      tokens_.redeem(token, "agent-1");
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Errc::unauthenticated);
      return e.message();
    }
    return "accepted";
  }

  ManualClock clock_;
  store::Db db_;
  audit::AuditLog audit_;
  auth::RateLimiter limiter_;
  JoinTokens tokens_;
  auth::Principal admin_;
};

TEST_F(JoinTokensTest, ATokenIsSpentByItsFirstUse) {
  const auto token = make();
  const auto used = tokens_.redeem(token, "agent-1");
  EXPECT_EQ(used.used_by_agent.value_or(""), "agent-1");
  EXPECT_EQ(used.used_at_ms.value_or(0), clock_.now);
  EXPECT_NE(refusal(token), "accepted");
}

TEST_F(JoinTokensTest, ValidForTwentyFourHours) {
  const auto kept = make();
  const auto late = make();
  clock_.now += kJoinTokenTtlMs - 1;
  EXPECT_NO_THROW(tokens_.redeem(kept, "agent-1"));
  clock_.now += 1;
  EXPECT_NE(refusal(late), "accepted");
}

TEST_F(JoinTokensTest, EveryBadTokenGetsTheSameAnswer) {
  const auto token = make();
  const std::string id = token.substr(4, 16);
  const auto answer = refusal("tsj_" + id + "_wrong-secret");
  EXPECT_NE(answer, "accepted");
  for (const std::string& bad : {std::string(""), std::string("tsj_"), "tsj_" + id, "tsk_" + token.substr(4),
                                 "tsj_" + std::string(16, '0') + token.substr(20), token + "x"})
    EXPECT_EQ(refusal(bad), answer) << bad;
  EXPECT_NO_THROW(tokens_.redeem(token, "agent-1"));  // the failed tries did not spend it
}

TEST_F(JoinTokensTest, FiveAMinute) {
  for (int i = 0; i < 5; ++i) make();
  try {
    make();
    FAIL() << "a sixth token within the minute";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::rate_limited);
    EXPECT_GE(e.retry_after_s(), 1);
  }
  clock_.now += 60'000;
  EXPECT_NO_THROW(make());
}

}  // namespace
}  // namespace tseeder::fleet
