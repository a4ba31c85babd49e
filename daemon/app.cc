#include "app.h"

#include <mutex>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <thread>

#include "auth/kdf_memory.h"
#include "core/disk_space.h"
#include "core/error.h"
#include "core/redact.h"
#include "core/secret_file.h"
#include "core/thread_name.h"
#include "logging.h"
#include "plugin/chain_watcher.h"
#include "storage/local_storage.h"
#include "storage/s3_storage.h"
#include "store/job_repo.h"
#include "store/migrations.h"
#include "store/user_repo.h"

namespace tseeder::daemon {

namespace fs = std::filesystem;

namespace {
constexpr const char* kNode = "local";
constexpr auto kKdfMemoryIdle = std::chrono::seconds(5);
// Zip downloads in flight share these for their reads; each holds one at a time.
constexpr std::size_t kReadThreads = 4;
}  // namespace

std::unique_ptr<storage::StorageBackend> make_storage(const config::Config& cfg) {
  if (cfg.storage_backend != "s3") return std::make_unique<storage::LocalStorage>(cfg.storage_path());
  net::S3Settings s;
  s.endpoint = cfg.storage_s3_endpoint;
  s.region = cfg.storage_s3_region;
  s.bucket = cfg.storage_s3_bucket;
  s.credentials = {cfg.storage_s3_access_key, cfg.storage_s3_secret_key, cfg.storage_s3_session_token};
  s.path_style = cfg.storage_s3_path_style;
  s.part_size = static_cast<std::uint64_t>(cfg.storage_s3_part_size_mib) << 20;
  s.concurrency = static_cast<int>(cfg.storage_s3_concurrency);
  s.max_attempts = static_cast<int>(cfg.storage_s3_max_attempts);
  s.ca_file = cfg.storage_s3_ca_file;
  return std::make_unique<storage::S3Storage>(s);
}

std::unique_ptr<plugin::PluginHost> load_plugins(const config::Config& cfg, std::vector<std::string>* warnings) {
  // Warnings plugins give while they load are also kept for the start-up summary; a plugin's
  // threads may log meanwhile, and later, when nothing is kept any more.
  struct Kept {
    std::mutex mutex;
    std::vector<std::string>* into;
  };
  auto kept = std::make_shared<Kept>();
  kept->into = warnings;
  auto plugins =
      std::make_unique<plugin::PluginHost>(cfg, [kept](int level, const std::string& plugin, const std::string& msg) {
        Level l = level >= TSEEDER_LOG_ERROR  ? Level::error
                  : level == TSEEDER_LOG_WARN ? Level::warn
                  : level == TSEEDER_LOG_INFO ? Level::info
                                              : Level::debug;
        log(l, "plugin", msg, {{"plugin", plugin}});
        std::lock_guard lock(kept->mutex);
        if (kept->into && level >= TSEEDER_LOG_WARN) kept->into->push_back(plugin + ": " + msg);
      });
  plugins->load_directory(cfg.plugin_dir, cfg.plugins_disabled);
  {
    std::lock_guard lock(kept->mutex);
    kept->into = nullptr;
  }
  for (const auto& p : plugins->loaded())
    log(Level::info, "plugin", "loaded", {{"plugin", p.name}, {"version", p.version}, {"file", p.origin}});
  for (const auto& r : plugins->refused()) log(Level::error, "plugin", r.reason, {{"file", r.file}});
  return plugins;
}

namespace {
jobs::LifecycleSettings lifecycle_settings(const config::Config& cfg) {
  jobs::LifecycleSettings s;
  s.paths = {cfg.data_dir + "/downloads", fs::absolute(cfg.data_dir + "/torrents").string()};
  s.retry = {static_cast<int>(cfg.jobs_retry_max_attempts), cfg.jobs_retry_base_ms,
             std::max(cfg.jobs_retry_cap_ms, cfg.jobs_retry_base_ms)};
  s.scan_enabled = cfg.scan_enabled;
  s.node = kNode;
  if (cfg.role == "controller") {
    // Agents download to their own disks and guard them: the controller's never fills.
    s.disk.free_space = [](const std::string&) { return std::numeric_limits<std::uint64_t>::max(); };
  } else {
    s.disk.reserve_bytes = static_cast<std::uint64_t>(cfg.downloads_reserve_mib) << 20;
    s.disk.free_space = [](const std::string& dir) {
      return free_bytes(dir).value_or(std::numeric_limits<std::uint64_t>::max());  // cannot tell: no guard
    };
  }
  return s;
}
}  // namespace

std::size_t App::kdf_thread_count() {
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, 5) - 1;
}

App::App(boost::asio::io_context& io_ctx, config::Config config) : io(io_ctx), cfg(std::move(config)) {
  core::name_pool_threads(*kdf_, kdf_thread_count(), "password-kdf");
  core::name_pool_threads(*outbound_, kOutboundThreads, "outbound");
  fs::create_directories(cfg.data_dir);
  fs::create_directories(cfg.data_dir + "/downloads");
  db = std::make_unique<store::Db>(cfg.data_dir + "/tseeder.db");
  commits = std::make_unique<GroupedCommits>(io, *db);
  int applied = store::migrate_up(*db);
  if (applied > 0) log(Level::info, "store", "applied migrations", {{"count", applied}});
  checkpointer = std::make_unique<store::WalCheckpointer>(*db);
  // As many as the cores (two to four): a page costs a few hundred microseconds of CPU.
  readers = std::make_unique<store::ReadPool>(*db, std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, 4));
  storage = make_storage(cfg);
  reads = std::make_unique<storage::RangeReads>(io, *storage, kReadThreads);
  plugins = load_plugins(cfg, &startup_warnings);
  pipeline = std::make_unique<jobs::Pipeline>(io, static_cast<std::size_t>(cfg.pipeline_workers), db.get());
  if (auto* s3 = dynamic_cast<storage::S3Storage*>(storage.get())) {
    // A wrong bucket or key is worth knowing early; checked on a worker so start never waits on
    // the network.
    pipeline->detach(
        [s3] {
          try {
            s3->client().check_bucket();
            log(Level::info, "storage", "S3 bucket reachable",
                {{"endpoint", redact_url_credentials(s3->client().settings().endpoint)},
                 {"bucket", s3->client().settings().bucket}});
          } catch (const Error& e) {
            log(Level::error, "storage", e.message(), {{"hint", e.hint()}});
          }
        },
        [](const std::string& what) { log(Level::error, "storage", "checking the S3 bucket failed: " + what); });
  }
  if (cfg.role == "both" && cfg.scan_enabled && !plugins->scanner()) {  // a controller's agents scan
    const std::string why = "no scanner plugin is loaded: finished downloads are stored unscanned (scan_status error)";
    log(Level::warn, "scan", why);
    startup_warnings.push_back(why);
  }
  init_accounts();
  meter = std::make_unique<quota::BandwidthMeter>(*db, clock);
  limits = std::make_unique<quota::Quota>(*db, clock, *meter);
  plans = std::make_unique<quota::PlanAdmin>(*db, *audit, *config_history);
  join_tokens = std::make_unique<fleet::JoinTokens>(*db, clock, *audit, *limiter);
  if (cfg.role == "controller") {
    fleet = std::make_unique<fleet::Controller>(*db, clock, *audit, *join_tokens,
                                                load_or_create_secret(cfg.data_dir + "/secrets/fleet.key"),
                                                cfg.fleet_stale_after_s * 1000, cfg.scan_enabled);
    wire = std::make_unique<fleet::WireVerifier>(
        clock, [f = fleet.get()](const std::string& agent) { return f->secret_of(agent); });
    workers = fleet.get();
  } else {
    runner = std::make_unique<jobs::JobRunner>(io, cfg.data_dir + "/downloads",
                                               static_cast<std::size_t>(cfg.jobs_max_active));
    workers = runner.get();
  }
  jobs = std::make_unique<jobs::JobService>(io, *db, hub, *storage, *plugins, *limits, *pipeline, *workers, clock,
                                            lifecycle_settings(cfg), [](const JobId& job, const std::string& what) {
                                              log(Level::error, "jobs", what, {{"jobId", job.value}});
                                            });
  blocklist = std::make_unique<jobs::ContentBlocklist>(*db, clock, *audit, *config_history, jobs->admission());
  dead_letters = std::make_unique<jobs::DeadLetters>(*db, *audit, jobs->actions());
  staff_jobs = std::make_unique<jobs::StaffJobs>(*db, *audit, jobs->actions());
  staff_search = std::make_unique<jobs::StaffSearch>(*db);
  providers = std::make_unique<jobs::Providers>(*db, clock, *audit, *plugins);
  wallets = std::make_unique<billing::WalletAdmin>(*db, clock, *audit, *config_history);
  paid_plans = std::make_unique<billing::PaidPlans>(
      *db, clock, *audit, [this](const UserId& user, const std::string& subject, const std::string& text) {
        if (!mailer->enabled()) return;
        auto u = store::UserRepo(*db).find(user);
        if (u && u->email) mailer->send({*u->email, subject, text});
      });
  orders = std::make_unique<billing::CryptoOrders>(*db, clock, *audit, cfg.billing_order_expiry_s * 1000);
  confirmations = std::make_unique<billing::OrderConfirmations>(*db, clock, *audit, *paid_plans);
  cards = std::make_unique<billing::CardBilling>(
      *db, clock, *audit, *paid_plans,
      billing::CardSettings{!cfg.billing_card_secret_key.empty(), cfg.billing_card_success_url,
                            cfg.billing_card_cancel_url, [this] { return public_url(); }});
  payment_watch = std::make_unique<billing::PaymentWatch>(
      *db, clock, *audit, *confirmations,
      std::map<std::string, std::int64_t>{{"BTC", cfg.billing_confirmations_btc},
                                          {"LTC", cfg.billing_confirmations_ltc},
                                          {"USDT", cfg.billing_confirmations_usdt},
                                          {"BNB", cfg.billing_confirmations_bnb}});
  sweeper = std::make_unique<jobs::StorageSweeper>(*db, clock, *storage, *audit, jobs->actions(), *pipeline);
}

void App::init_accounts() {
  auth_settings = auth::AuthSettings::from(cfg);
  if (!cfg.auth_allowed_hosts.empty()) {
    for (auto h : cfg.auth_allowed_hosts) {
      for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      allowed_hosts.insert(h);
    }
  } else {
    allowed_hosts = {"localhost", "127.0.0.1", "::1"};
    auto host_part = [](std::string hp) {
      if (hp.starts_with('[')) return hp.substr(1, hp.find(']') - 1);
      return hp.substr(0, hp.rfind(':'));
    };
    std::string listen_host = host_part(cfg.listen);
    if (listen_host != "0.0.0.0" && listen_host != "::" && !listen_host.empty()) allowed_hosts.insert(listen_host);
    const std::string metrics_host = host_part(cfg.metrics_listen);
    if (metrics_host != "0.0.0.0" && metrics_host != "::" && !metrics_host.empty()) allowed_hosts.insert(metrics_host);
    std::string pub = cfg.public_url();
    pub = pub.substr(pub.find("://") + 3);
    pub = pub.substr(0, pub.find('/'));
    if (pub.find(':') == std::string::npos || pub.starts_with('[')) pub += ":0";
    allowed_hosts.insert(host_part(pub));
  }
  limiter = std::make_unique<auth::RateLimiter>(clock);
  mailer = std::make_unique<net::SmtpMailer>(
      net::SmtpSettings{cfg.smtp_url, cfg.smtp_from, cfg.smtp_username, cfg.smtp_password, cfg.smtp_require_tls},
      [](bool ok, const std::string& msg) { log(ok ? Level::info : Level::error, "mail", msg); });
  audit = std::make_unique<audit::AuditLog>(*db, clock);
  config_history = std::make_unique<audit::ConfigHistory>(*db, clock);
  const int changed = config_history->record_config(
      cfg, load_or_create_secret(cfg.data_dir + "/secrets/config-history.key"), "the config file and environment");
  if (changed > 0) log(Level::info, "config", "settings changed since the last start", {{"count", changed}});
  credentials = std::make_unique<auth::Credentials>(*db, clock, *audit, auth_settings);
  accounts = std::make_unique<auth::AccountService>(*db, clock, *audit, *credentials, *limiter, *mailer, auth_settings);
  user_admin = std::make_unique<auth::UserAdmin>(*db, clock, *audit, *credentials);
  links = std::make_unique<storage::DownloadLinks>(load_or_create_secret(cfg.data_dir + "/secrets/download-links.key"));
  if (auth_settings.require_email_verification && !mailer->enabled())
    log(Level::warn, "auth",
        "registration is off until mail works: set smtp.url, or auth.require_email_verification: false");
}

void App::listening_at(const std::string& url) {
  if (cfg.auth_public_url.empty()) auth_settings.public_url = url;
}

auth::Principal App::operator_principal() const {
  auth::Principal p;
  p.user = kLocalOwner;
  p.role = auth::Role::superadmin;
  p.plan = "enterprise";
  p.via = auth::Via::unix_peer;
  return p;
}

bool App::needs_bootstrap() {
  return store::UserRepo(*db).count_role(auth::Role::superadmin) == 0;
}

App::~App() = default;

void App::read_after_start() {
  // A moment after listening, so start-up does not share the cores with it; on a reader thread,
  // the loop hearing only of what it has to mend.
  startup_timer_ = std::make_unique<boost::asio::steady_timer>(io, std::chrono::seconds(1));
  startup_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec || !readers) return;
    readers->post([this] {
      std::vector<JobId> ids;
      try {
        ids = store::JobRepo(*db).unqueued_waiting();
      } catch (const std::exception& e) {
        log(Level::error, "queue", std::string("could not look for waiting jobs without a queue message: ") + e.what());
      }
      if (ids.empty()) return;
      boost::asio::post(io, [this, ids = std::move(ids)] {
        const int n = jobs->recovery().enqueue_missing(ids);
        if (n > 0) log(Level::warn, "queue", "gave waiting jobs their missing queue message", {{"count", n}});
        jobs->dispatcher().poke();
      });
    });
  });
}

void App::start() {
  lag.start();
  int requeued = jobs->recovery().recover(kNode);
  if (requeued > 0) log(Level::info, "queue", "re-queued jobs interrupted by the last stop", {{"count", requeued}});
  const int seeding = jobs->flow().resume_seeding();
  if (seeding > 0) log(Level::info, "jobs", "seeding again from the files kept", {{"count", seeding}});
  jobs->dispatcher().start();
  read_after_start();
  upkeep_timer_ = std::make_unique<boost::asio::steady_timer>(io);
  every(*upkeep_timer_, std::chrono::seconds(5), "quota", [this] {
    meter->flush();
    jobs->admission().check_disk();
    // Argon2's buffers stay while logins come; a few idle seconds give them back.
    boost::asio::post(*kdf_, [] { auth::kdf_memory::release_idle(kKdfMemoryIdle); });
  });
  sweep_timer_ = std::make_unique<boost::asio::steady_timer>(io);
  schedule_sweep();
  billing_timer_ = std::make_unique<boost::asio::steady_timer>(io);
  every(*billing_timer_, std::chrono::seconds(cfg.billing_sweep_interval_s), "billing", [this] {
    const int expired = orders->expire_due(), lapsed = paid_plans->lapse_due();
    if (expired > 0) log(Level::info, "billing", "unpaid orders expired", {{"count", expired}});
    if (lapsed > 0) log(Level::info, "billing", "bought plan periods ended", {{"count", lapsed}});
  });
  watch_timer_ = std::make_unique<boost::asio::steady_timer>(io);
  every(*watch_timer_, std::chrono::seconds(cfg.billing_watch_interval_s), "billing", [this] { watch_payments(); });
  if (fleet) {
    fleet_timer_ = std::make_unique<boost::asio::steady_timer>(io);
    every(*fleet_timer_, std::chrono::seconds(2), "fleet", [this] { fleet->check_health(*jobs); });
  }
}

void App::every(boost::asio::steady_timer& timer, std::chrono::milliseconds period, const char* component,
                std::function<void()> work) {
  timer.expires_after(period);
  timer.async_wait([this, &timer, period, component, work = std::move(work)](const boost::system::error_code& ec) {
    if (ec) return;
    every(timer, period, component, work);  // first: work that throws must not end the ticks
    try {
      work();
    } catch (const std::exception& e) {
      log(Level::error, component, e.what());
    }
  });
}

void App::watch_payments() {
  if (watch_round_running_ || !plugins->has_watchers()) return;  // no store read without a watcher
  struct Ask {
    const plugin::ChainWatcher* watcher;
    std::string network, address;
    std::optional<plugin::AddressPayments> answer;
  };
  auto asks = std::make_shared<std::vector<Ask>>();
  for (auto& [network, address] : payment_watch->addresses())
    if (const auto* w = plugins->watcher_for(network)) asks->push_back({w, network, address, std::nullopt});
  if (asks->empty()) return;
  watch_round_running_ = true;
  boost::asio::post(*outbound_, [this, asks] {
    for (auto& a : *asks) {
      try {
        a.answer = a.watcher->payments(a.network, a.address);
      } catch (const std::exception& e) {
        log(Level::warn, "billing", e.what());
      }
    }
    boost::asio::post(io, [this, asks] {
      watch_round_running_ = false;
      for (const auto& a : *asks) {
        if (!a.answer) continue;
        try {
          const auto r = payment_watch->observe(a.watcher->name(), a.network, a.address, a.answer->payments);
          if (r.seen + r.confirmed + r.flagged > 0)
            log(Level::info, "billing", "payments seen",
                {{"address", a.address}, {"new", r.seen}, {"confirmed", r.confirmed}, {"flagged", r.flagged}});
        } catch (const std::exception& e) {
          log(Level::error, "billing", e.what(), {{"address", a.address}});
        }
      }
    });
  });
}

void App::schedule_sweep() {
  constexpr std::int64_t kDay = 86'400'000;
  const std::int64_t now = clock.now_ms();
  std::int64_t next = now - now % kDay + cfg.storage_sweep_hour_utc * 3'600'000;
  if (next <= now) next += kDay;
  sweep_timer_->expires_after(std::chrono::milliseconds(next - now));
  sweep_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    try {
      if (!sweeper->running()) {
        auto id = sweeper->start(jobs::SweepRequest{}, [](const store::SweepRow& r) {
          log(r.error ? Level::error : Level::info, "storage", "sweep finished",
              {{"id", r.id},
               {"expiredJobs", r.expired_jobs},
               {"orphanObjects", r.orphan_objects},
               {"orphanRows", r.orphan_rows},
               {"bytesFreed", r.bytes_freed},
               {"error", r.error.value_or("")}});
        });
        log(Level::info, "storage", "daily sweep started", {{"id", id}});
      }
    } catch (const std::exception& e) {
      log(Level::error, "storage", e.what());
    }
    schedule_sweep();
  });
}

void App::stop() {
  lag.stop();
  if (startup_timer_) startup_timer_->cancel();
  if (upkeep_timer_) upkeep_timer_->cancel();
  if (sweep_timer_) sweep_timer_->cancel();
  if (billing_timer_) billing_timer_->cancel();
  if (watch_timer_) watch_timer_->cancel();
  if (fleet_timer_) fleet_timer_->cancel();
  meter->flush();
  jobs->dispatcher().stop();
  jobs->flow().requeue_running("daemon stopping; will resume on next start");
  if (runner) runner->stop_all();  // jobs on agents go on: the next start finds them running
  pipeline->shutdown();
  reads->shutdown();
  kdf_->join();       // a hash in flight finishes; its answer is not sent
  outbound_->join();  // so does a call to a remote provider
  readers.reset();    // a read in flight finishes; its answer is not sent
  commits->commit();
  checkpointer->stop();
}

}  // namespace tseeder::daemon
