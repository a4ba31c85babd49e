// A JobService over a fresh SQLite file, local storage and a clock the test moves, in a temp
// directory that goes at the end; for tests of the service's rules without a daemon.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "jobs/job_service.h"
#include "manual_clock.h"
#include "plugin/plugin_host.h"
#include "progress/progress_hub.h"
#include "storage/local_storage.h"
#include "store/migrations.h"
#include "store/queue_repo.h"
#include "store/user_repo.h"

namespace tseeder::jobs::test_support {

class ServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tseeder-service-" + random_hex_id(6));
    std::filesystem::create_directories(dir_ / "downloads");
    db_ = std::make_unique<store::Db>((dir_ / "t.db").string());
    store::migrate_up(*db_);
    storage_ = std::make_unique<storage::LocalStorage>(dir_ / "storage");
    plugins_ = std::make_unique<plugin::PluginHost>(cfg_, [](int, const std::string&, const std::string&) {});
    service_ = std::make_unique<JobService>(
        *db_, hub_, *storage_, *plugins_, clock_,
        ServicePaths{(dir_ / "downloads").string(), (dir_ / "torrents").string()},
        [this](const JobId& job, const std::string& what) { reports_.push_back(job.value + ": " + what); });
    auth::User u;
    u.id = kOwner;
    u.email = "owner@example.com";
    u.created_at_ms = u.updated_at_ms = clock_.now;
    store::UserRepo(*db_).insert(u);
  }
  void TearDown() override {
    service_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A URL job of kOwner in `state`, with its queue message leased by the dispatcher.
  JobId job_in(const std::string& id, JobState state) {
    Job j;
    j.id = JobId{id};
    j.user_id = kOwner;
    j.source_kind = "url";
    j.source = "http://example.com/" + id;
    j.status = state;
    j.created_at_ms = j.updated_at_ms = clock_.now++;
    store::JobRepo repo(*db_);
    repo.insert(j);
    repo.set_status(j.id, state, std::nullopt, clock_.now);
    store::QueueRepo queue(*db_);
    queue.enqueue(j.id, id, clock_.now, clock_.now);
    queue.lease_ready("node", clock_.now, clock_.now + kLeaseMs, 10);
    return j.id;
  }
  JobState status(const JobId& id) { return store::JobRepo(*db_).find(id)->status; }

  static constexpr std::int64_t kLeaseMs = 86'400'000;
  inline static const UserId kOwner{"00000000000000d1"};
  std::filesystem::path dir_;
  ManualClock clock_;
  config::Config cfg_;
  progress::ProgressHub hub_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<storage::LocalStorage> storage_;
  std::unique_ptr<plugin::PluginHost> plugins_;
  std::unique_ptr<JobService> service_;
  std::vector<std::string> reports_;  // what the service told the daemon's log
};

}  // namespace tseeder::jobs::test_support
