// Sessions and API keys against a real SQLite store with a hand-moved clock.
#include "auth/credentials.h"

#include <gtest/gtest.h>

#include "manual_clock.h"
#include "temp_db.h"

#include <filesystem>

#include "core/error.h"
#include "store/migrations.h"

namespace tseeder::auth {
namespace {

class CredentialsTest : public TempDbTest {
 protected:
  void SetUp() override {
    TempDbTest::SetUp();
    settings_.session_idle_ms = 60'000;
    settings_.session_absolute_ms = 600'000;
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    creds_ = std::make_unique<Credentials>(*db_, clock_, *audit_, settings_);
    user_.id = UserId{"00000000000000aa"};
    user_.email = "a@example.com";
    user_.plan = "free";
    store::UserRepo(*db_).insert(user_);
  }
  void TearDown() override {
    creds_.reset();
    audit_.reset();
    TempDbTest::TearDown();
  }
  void expect_unauthenticated(const std::function<void()>& f, const std::string& why) {
    try {
      f();
      FAIL() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Errc::unauthenticated);
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  }
  ManualClock clock_;
  AuthSettings settings_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<Credentials> creds_;
  auth::User user_;
};

TEST_F(CredentialsTest, SessionTokensAre256BitAndStoredOnlyAsDigests) {
  auto s = creds_->open_session(user_, {});
  EXPECT_EQ(s.token.size(), 43u);
  EXPECT_NE(s.token, s.csrf_token);
  auto q = db_->prepare("SELECT token_hash FROM sessions");
  ASSERT_TRUE(q.step());
  EXPECT_NE(q.text(0), s.token);
  EXPECT_EQ(q.text(0).size(), 64u);
  EXPECT_EQ(creds_->from_session_token(s.token).user, user_.id);
}

TEST_F(CredentialsTest, SessionsEndWhenIdleAndAtTheirAbsoluteLimit) {
  auto s = creds_->open_session(user_, {});
  clock_.now += 59'000;
  EXPECT_NO_THROW(creds_->from_session_token(s.token));  // use keeps it alive
  clock_.now += 59'000;
  EXPECT_NO_THROW(creds_->from_session_token(s.token));
  clock_.now += 61'000;
  expect_unauthenticated([&] { creds_->from_session_token(s.token); }, "expired");

  auto t = creds_->open_session(user_, {});
  const std::int64_t opened = clock_.now;
  while (clock_.now + 50'000 < opened + 600'000) {
    clock_.now += 50'000;
    EXPECT_NO_THROW(creds_->from_session_token(t.token));
  }
  clock_.now = opened + 600'000;
  expect_unauthenticated([&] { creds_->from_session_token(t.token); }, "expired");
}

TEST_F(CredentialsTest, TheFreePlanKeepsTwoSessionsAndEndsTheOldest) {
  auto a = creds_->open_session(user_, {});
  clock_.now += 1000;
  auto b = creds_->open_session(user_, {});
  clock_.now += 1000;
  auto c = creds_->open_session(user_, {});
  expect_unauthenticated([&] { creds_->from_session_token(a.token); }, "ended");
  EXPECT_NO_THROW(creds_->from_session_token(b.token));
  EXPECT_NO_THROW(creds_->from_session_token(c.token));
  EXPECT_EQ(creds_->sessions(user_.id).size(), 2u);
}

TEST_F(CredentialsTest, ApiKeysWorkUntilRevokedOrExpired) {
  auto k = creds_->create_api_key(user_.id, "script", 1);
  EXPECT_EQ(k.key.rfind("tsk_" + k.row.prefix + "_", 0), 0u);
  EXPECT_EQ(creds_->from_api_key(k.key).user, user_.id);
  expect_unauthenticated([&] { creds_->from_api_key(k.key + "x"); }, "not valid");
  expect_unauthenticated([&] { creds_->from_api_key("tsk_nope"); }, "malformed");
  clock_.now += 25LL * 3600 * 1000;
  expect_unauthenticated([&] { creds_->from_api_key(k.key); }, "expired");

  auto k2 = creds_->create_api_key(user_.id, "other", std::nullopt);
  creds_->revoke_api_key(user_.id, k2.row.id);
  expect_unauthenticated([&] { creds_->from_api_key(k2.key); }, "not valid");
  EXPECT_THROW(creds_->revoke_api_key(UserId{"someone-else"}, k.row.id), Error);
}

// Keys are listed whole, so an account keeps at most 100 that are not revoked.
TEST_F(CredentialsTest, AnAccountKeepsAtMostAHundredApiKeys) {
  std::string first;
  for (int i = 0; i < 100; ++i) {
    auto k = creds_->create_api_key(user_.id, "key " + std::to_string(i), std::nullopt);
    if (i == 0) first = k.row.id;
  }
  try {
    creds_->create_api_key(user_.id, "one more", std::nullopt);
    FAIL() << "a 101st key was made";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::conflict);
    EXPECT_NE(e.hint().find("tseeder keys rm"), std::string::npos) << e.hint();
  }
  creds_->revoke_api_key(user_.id, first);
  EXPECT_NO_THROW(creds_->create_api_key(user_.id, "one more", std::nullopt));
  EXPECT_EQ(creds_->api_keys(user_.id).size(), 100u);
}

TEST_F(CredentialsTest, TheAuditLogRefusesUpdateAndDelete) {
  audit_->record(nullptr, {"127.0.0.1", "rid", ""}, "test.action", "user:x");
  EXPECT_THROW(db_->exec("UPDATE audit_log SET action = 'changed'"), Error);
  EXPECT_THROW(db_->exec("DELETE FROM audit_log"), Error);
  auto q = db_->prepare("SELECT count(*), min(action) FROM audit_log");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.int64(0), 1);
  EXPECT_EQ(q.text(1), "test.action");
}

}  // namespace
}  // namespace tseeder::auth
