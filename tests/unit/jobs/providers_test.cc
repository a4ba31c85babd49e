// The provider switch: a runtime setting with a versioned, audited history that decides which
// engine new jobs try first. Two engines registered in-process stand for the providers' plugins.
#include "jobs/providers.h"

#include <gtest/gtest.h>

#include <cstring>

#include "config/config.h"
#include "core/error.h"
#include "manual_clock.h"
#include "plugin/engine.h"
#include "plugin/static_plugins.h"
#include "store/job_repo.h"
#include "temp_db.h"

namespace tseeder::jobs {
namespace {

int takes_magnets(void*, const char* source, char* err, size_t len) {
  if (std::strncmp(source, "magnet:", 7) == 0) return 1;
  std::snprintf(err, len, "not a magnet");
  return 0;
}
tseeder_status never_starts(void*, const tseeder_job_spec*, const tseeder_job_sink*, void**, char* err, size_t len) {
  std::snprintf(err, len, "not in unit tests");
  return TSEEDER_ERR;
}
void no_stop(void*) {}

const tseeder_engine_api kMagnetEngine = {sizeof(tseeder_engine_api),
                                          takes_magnets,
                                          never_starts,
                                          nullptr,
                                          nullptr,
                                          no_stop,
                                          nullptr,
                                          nullptr,
                                          nullptr,
                                          nullptr,
                                          nullptr,
                                          nullptr};

tseeder_plugin_descriptor engine_named(const char* name) {
  return testing_plugins::descriptor(name, &kMagnetEngine, nullptr);
}
const tseeder_plugin_descriptor* libtorrent_entry(const tseeder_host_api*) {
  static auto d = engine_named("engine-libtorrent");
  return &d;
}
const tseeder_plugin_descriptor* seedr_entry(const tseeder_host_api*) {
  static auto d = engine_named("engine-seedr");
  return &d;
}

class ProvidersTest : public TempDbTest {
 protected:
  void SetUp() override {
    TempDbTest::SetUp();
    plugins_.add_static(libtorrent_entry);
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
  }
  Providers make() { return Providers(*db_, clock_, *audit_, plugins_); }
  std::string first_for_magnet() {
    std::string why;
    auto* e = plugins_.engine_for("magnet:?xt=urn:btih:" + std::string(40, 'a'), why);
    return e ? e->name() : "none: " + why;
  }

  config::Config cfg_ = config::load_text("");
  plugin::PluginHost plugins_{cfg_, [](int, const std::string&, const std::string&) {}};
  ManualClock clock_;
  std::unique_ptr<audit::AuditLog> audit_;
  auth::Principal staff_ = [] {
    auth::Principal p;
    p.user = UserId{"staff1"};
    p.role = auth::Role::admin;
    return p;
  }();
  auth::Justification why_{"moving torrents off this host", "OPS-12"};
};

TEST_F(ProvidersTest, LocalUntilSwitchedAndRefusesWhatCannotRun) {
  auto providers = make();
  EXPECT_EQ(providers.active(), "local");
  EXPECT_EQ(providers.version(), 0);
  EXPECT_EQ(first_for_magnet(), "engine-libtorrent");
  auto code_of = [&](const std::string& to, const auth::Justification& why) {
    try {
      providers.switch_to(staff_, to, why, {});
    } catch (const Error& e) {
      return e.code();
    }
    return Errc::internal;
  };
  EXPECT_EQ(code_of("elsewhere", why_), Errc::invalid_argument);
  EXPECT_EQ(code_of("seedr", {"too short", "OPS-1"}), Errc::invalid_argument);
  EXPECT_EQ(code_of("seedr", {"a reason long enough", ""}), Errc::invalid_argument);
  EXPECT_EQ(code_of("seedr", why_), Errc::conflict);  // engine-seedr is not loaded
  EXPECT_EQ(code_of("local", why_), Errc::conflict);  // active already
  EXPECT_TRUE(providers.history(std::nullopt, 10).empty());
  EXPECT_TRUE(audit_->query({}).empty());
}

TEST_F(ProvidersTest, ASwitchIsVersionedAuditedAndSteersNewJobs) {
  plugins_.add_static(seedr_entry);
  Job running;
  running.id = JobId{"00000000000000aa"};
  running.user_id = UserId{"u1"};
  running.source_kind = "magnet";
  running.source = "magnet:?xt=urn:btih:" + std::string(40, 'b');
  running.engine = "engine-libtorrent";
  running.status = JobState::queued;
  store::JobRepo(*db_).insert(running);

  auto providers = make();
  auto done = providers.switch_to(staff_, "seedr", why_, {"127.0.0.1", "req-1", ""});
  EXPECT_EQ(done.version, 1);
  EXPECT_EQ(done.from, "local");
  ASSERT_EQ(done.in_flight.size(), 1u);  // it finishes where it started
  EXPECT_EQ(done.in_flight[0].id, running.id);
  EXPECT_EQ(providers.active(), "seedr");
  EXPECT_EQ(first_for_magnet(), "engine-seedr");
  std::string why;
  EXPECT_EQ(plugins_.engine_for("https://example.com/x", why), nullptr);  // others take what it does not

  clock_.now += 1000;
  providers.switch_to(staff_, "local", {"back to local after the test", "OPS-13"}, {});
  EXPECT_EQ(first_for_magnet(), "engine-libtorrent");
  const auto history = providers.history(std::nullopt, 10);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].version, 2);
  EXPECT_EQ(history[0].old_value, "seedr");
  EXPECT_EQ(history[0].new_value, "local");
  EXPECT_EQ(history[0].ticket_id, "OPS-13");
  EXPECT_EQ(history[1].old_value, "local");  // the default, in force before any switch
  EXPECT_EQ(history[1].actor_id, "staff1");
  EXPECT_EQ(providers.history(2, 10).size(), 1u);  // a page before version 2

  const auto rows = audit_->query({});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].action, "provider.switch");
  EXPECT_EQ(rows[1].target, "provider:seedr");
  const auto detail = Json::parse(rows[1].detail);
  EXPECT_EQ(detail["ticketId"], "OPS-12");
  EXPECT_EQ(detail["inFlight"], 1);

  // A restarted daemon reads the choice back.
  providers.switch_to(staff_, "seedr", why_, {});
  plugins_.prefer_engine("");
  auto again = make();
  EXPECT_EQ(again.active(), "seedr");
  EXPECT_EQ(again.version(), 3);
  EXPECT_EQ(first_for_magnet(), "engine-seedr");
}

}  // namespace
}  // namespace tseeder::jobs
