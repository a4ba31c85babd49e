// A JobService over a fresh SQLite file, local storage, engines that only note what they are
// asked (FakeWorkers) and a clock the test moves, in a temp directory that goes at the end; for
// tests of the lifecycle's rules without a daemon.
#pragma once
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "jobs/job_service.h"
#include "jobs/pipeline.h"
#include "manual_clock.h"
#include "plugin/plugin_host.h"
#include "progress/progress_hub.h"
#include "quota/bandwidth_meter.h"
#include "quota/quota.h"
#include "storage/local_storage.h"
#include "store/migrations.h"
#include "store/queue_repo.h"
#include "store/user_repo.h"

namespace tseeder::jobs::test_support {

// Engines that only note what the lifecycle asks of them.
class FakeWorkers final : public Workers {
 public:
  void start(const Job& job, plugin::Engine&, const plugin::JobSettings&, EngineSink&) override {
    running_.insert(job.id.value);
  }
  void configure(const JobId&, const plugin::JobSettings&) override {}
  void stop(const JobId& job) override {
    if (running_.erase(job.value)) stopped.push_back(job.value);
  }
  bool running(const JobId& job) const override { return running_.contains(job.value); }
  std::size_t active() const override { return running_.size(); }
  std::size_t capacity() const override { return 4; }
  std::optional<std::string> unable(const std::string&) const override { return std::nullopt; }
  void downloaded(const JobId& job, bool) override { stop(job); }
  bool remote(const JobId&) const override { return false; }
  std::optional<std::string> details(const JobId&) const override { return std::nullopt; }
  bool reannounce(const JobId&) override { return false; }
  void run(const JobId& job) { running_.insert(job.value); }

  std::vector<std::string> stopped;

 private:
  std::set<std::string> running_;
};

class ServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tseeder-service-" + random_hex_id(6));
    std::filesystem::create_directories(dir_ / "downloads");
    db_ = std::make_unique<store::Db>((dir_ / "t.db").string());
    store::migrate_up(*db_);
    storage_ = std::make_unique<storage::LocalStorage>(dir_ / "storage");
    plugins_ = std::make_unique<plugin::PluginHost>(cfg_, [](int, const std::string&, const std::string&) {});
    pipeline_ = std::make_unique<Pipeline>(io_, 1);
    meter_ = std::make_unique<quota::BandwidthMeter>(*db_, clock_);
    quota_ = std::make_unique<quota::Quota>(*db_, clock_, *meter_);
    LifecycleSettings settings;
    settings.paths = {(dir_ / "downloads").string(), (dir_ / "torrents").string()};
    settings.node = "node";
    settings.disk.reserve_bytes = reserve_;
    settings.disk.free_space = [this](const std::string& d) {
      asked_dir_ = d;
      return free_;
    };
    service_ = std::make_unique<JobService>(
        io_, *db_, hub_, *storage_, *plugins_, *quota_, *pipeline_, workers_, clock_, std::move(settings),
        [this](const JobId& job, const std::string& what) { reports_.push_back(job.value + ": " + what); });
    auth::User u;
    u.id = kOwner;
    u.email = "owner@example.com";
    u.plan = "enterprise";  // no plan limits: tests of plans give their own accounts
    u.created_at_ms = u.updated_at_ms = clock_.now;
    store::UserRepo(*db_).insert(u);
  }
  void TearDown() override {
    service_.reset();
    pipeline_->shutdown();
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
  boost::asio::io_context io_;
  std::unique_ptr<Pipeline> pipeline_;
  FakeWorkers workers_;
  std::unique_ptr<quota::BandwidthMeter> meter_;
  std::unique_ptr<quota::Quota> quota_;
  std::uint64_t reserve_ = 0;                                       // the disk guard's, set before SetUp
  std::uint64_t free_ = std::numeric_limits<std::uint64_t>::max();  // free space the guard sees
  std::string asked_dir_;                                           // where the guard last looked
  std::unique_ptr<JobService> service_;
  std::vector<std::string> reports_;  // what the lifecycle told the daemon's log
};

}  // namespace tseeder::jobs::test_support
