// Everything a running tseederd holds, wired once in app.cc; routes hand each handler only its
// resource's services (handler_apis.h).
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <set>
#include <string>

#include "audit/audit_log.h"
#include "audit/config_history.h"
#include "auth/account_service.h"
#include "auth/auth_settings.h"
#include "auth/credentials.h"
#include "auth/rate_limiter.h"
#include "auth/user_admin.h"
#include "billing/card_billing.h"
#include "billing/crypto_orders.h"
#include "billing/order_confirmations.h"
#include "billing/paid_plans.h"
#include "billing/payment_watch.h"
#include "billing/wallet_admin.h"
#include "net/smtp_mailer.h"

#include "config/config.h"
#include "core/clock.h"
#include "fleet/controller.h"
#include "fleet/join_tokens.h"
#include "fleet/wire_signature.h"
#include "handlers/sse_stream.h"
#include "http/grouped_commits.h"
#include "jobs/blocklist.h"
#include "jobs/dead_letters.h"
#include "jobs/job_runner.h"
#include "jobs/job_service.h"
#include "jobs/pipeline.h"
#include "jobs/providers.h"
#include "jobs/staff_jobs.h"
#include "jobs/staff_search.h"
#include "jobs/storage_sweeper.h"
#include "loop_lag.h"
#include "ops/request_metrics.h"
#include "plugin/plugin_host.h"
#include "progress/progress_hub.h"
#include "quota/bandwidth_meter.h"
#include "quota/plan_admin.h"
#include "quota/quota.h"
#include "storage/download_links.h"
#include "storage/range_reads.h"
#include "storage/storage_backend.h"
#include "store/db.h"
#include "store/read_pool.h"
#include "store/wal_checkpointer.h"

namespace tseeder::daemon {

// Parts an agent needs as much as a controller.
std::unique_ptr<storage::StorageBackend> make_storage(const config::Config& cfg);
// `warnings` (may be null) receives what plugins warn of while they load.
std::unique_ptr<plugin::PluginHost> load_plugins(const config::Config& cfg, std::vector<std::string>* warnings);

class App {
 public:
  App(boost::asio::io_context& io, config::Config cfg);
  ~App();
  void start();
  // Stops engines and leaves running jobs queued for the next start.
  void stop();

  boost::asio::io_context& io;
  config::Config cfg;
  SystemClock clock;
  std::int64_t started_ms = clock.now_ms();  // for the uptime the health view shows
  std::unique_ptr<store::Db> db;
  std::unique_ptr<GroupedCommits> commits;  // requests' writes, one commit per loop turn
  std::unique_ptr<store::WalCheckpointer> checkpointer;
  LoopLag lag{io};
  progress::ProgressHub hub;
  std::unique_ptr<storage::StorageBackend> storage;
  std::unique_ptr<storage::RangeReads> reads;  // zip downloads read stored files through it
  std::unique_ptr<plugin::PluginHost> plugins;
  std::vector<std::string> startup_warnings;  // for the start-up summary: what an operator should fix
  // The job lifecycle; its dispatcher hands work to `workers`. Declared before what calls into it
  // from other threads or engines, so those go first.
  std::unique_ptr<jobs::JobService> jobs;
  std::unique_ptr<jobs::Pipeline> pipeline;
  std::unique_ptr<jobs::JobRunner> runner;    // role both: jobs run in this process
  std::unique_ptr<fleet::Controller> fleet;   // role controller: jobs run on agents
  std::unique_ptr<fleet::WireVerifier> wire;  // checks the agents' signatures
  jobs::Workers* workers = nullptr;           // whichever of the two runs jobs

  auth::AuthSettings auth_settings;
  std::set<std::string> allowed_hosts;  // lower-case Host names answered over TCP
  std::unique_ptr<auth::RateLimiter> limiter;
  std::unique_ptr<net::SmtpMailer> mailer;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<audit::ConfigHistory> config_history;
  std::unique_ptr<auth::Credentials> credentials;
  std::unique_ptr<auth::AccountService> accounts;
  std::unique_ptr<auth::UserAdmin> user_admin;
  std::unique_ptr<storage::DownloadLinks> links;
  std::unique_ptr<quota::BandwidthMeter> meter;
  std::unique_ptr<quota::Quota> limits;
  std::unique_ptr<quota::PlanAdmin> plans;
  std::unique_ptr<jobs::ContentBlocklist> blocklist;
  std::unique_ptr<jobs::DeadLetters> dead_letters;
  std::unique_ptr<jobs::StaffJobs> staff_jobs;
  std::unique_ptr<jobs::StaffSearch> staff_search;
  std::unique_ptr<jobs::Providers> providers;
  std::unique_ptr<billing::WalletAdmin> wallets;
  std::unique_ptr<billing::PaidPlans> paid_plans;
  std::unique_ptr<billing::CryptoOrders> orders;
  std::unique_ptr<billing::OrderConfirmations> confirmations;
  std::unique_ptr<billing::PaymentWatch> payment_watch;
  std::unique_ptr<billing::CardBilling> cards;
  std::unique_ptr<fleet::JoinTokens> join_tokens;
  std::unique_ptr<jobs::StorageSweeper> sweeper;
  StreamQuota streams;                  // live event streams per account
  ops::RequestMetrics request_metrics;  // every answered request, for /metrics
  // Routes that only read the store run their handlers here (Route::reads_store_only). Declared
  // after every service a handler uses, so it stops before they go.
  std::unique_ptr<store::ReadPool> readers;

  // The real address once bound (port 0 picks one): links in mails and download links use it
  // unless auth.public_url says otherwise.
  void listening_at(const std::string& url);
  std::string public_url() const { return auth_settings.public_url; }

  // Where passwords are hashed and checked (tens of milliseconds of CPU and 19 MiB each), so the
  // event loop never waits on one: one thread less than the cores (at least one, at most four),
  // which leaves the loop a core and bounds the memory.
  boost::asio::thread_pool& kdf_threads() { return *kdf_; }
  // Where answers that wait on a remote service (a provider's account, its login) are fetched.
  boost::asio::thread_pool& outbound_threads() { return *outbound_; }

  // The built-in operator that root and the daemon's user are over the Unix socket.
  auth::Principal operator_principal() const;
  // True until the first superadmin account exists (then `tseeder admin bootstrap` is done).
  bool needs_bootstrap();

 private:
  void init_accounts();
  static std::size_t kdf_thread_count();
  static constexpr std::size_t kOutboundThreads = 2;
  std::unique_ptr<boost::asio::thread_pool> kdf_ = std::make_unique<boost::asio::thread_pool>(kdf_thread_count());
  std::unique_ptr<boost::asio::thread_pool> outbound_ = std::make_unique<boost::asio::thread_pool>(kOutboundThreads);
  // Runs `work` on the event loop every `period` until the timer is cancelled; errors are logged.
  void every(boost::asio::steady_timer& timer, std::chrono::milliseconds period, const char* component,
             std::function<void()> work);
  // Upkeep every 5 s: bandwidth counts reach the store, the disk guard looks at free space.
  std::unique_ptr<boost::asio::steady_timer> upkeep_timer_;
  // The daily storage sweep at storage.sweep_hour_utc.
  void schedule_sweep();
  std::unique_ptr<boost::asio::steady_timer> sweep_timer_;
  // Unpaid orders expire and bought periods lapse every billing.sweep_interval_s.
  std::unique_ptr<boost::asio::steady_timer> billing_timer_;
  // Chain-watcher plugins are asked about order addresses every billing.watch_interval_s, on the
  // outbound threads; one round at a time.
  void watch_payments();
  std::unique_ptr<boost::asio::steady_timer> watch_timer_;
  bool watch_round_running_ = false;
  // A controller looks for silent agents every 2 s.
  std::unique_ptr<boost::asio::steady_timer> fleet_timer_;
  // Start-up reads too big for the loop (waiting jobs without a queue message), once the daemon
  // listens.
  void read_after_start();
  std::unique_ptr<boost::asio::steady_timer> startup_timer_;
};

}  // namespace tseeder::daemon
