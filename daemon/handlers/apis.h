// What the handlers of each resource use. routes.cc binds every route's handler to its own one
// of these, made from the daemon's services (handler_apis.h), so a handler sees those services
// and nothing else; a role without a service has no routes that need it.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
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
#include "billing/payment_watch.h"
#include "billing/wallet_admin.h"
#include "core/clock.h"
#include "fleet/controller.h"
#include "fleet/join_tokens.h"
#include "fleet/wire_signature.h"
#include "handlers/sse_stream.h"
#include "jobs/blocklist.h"
#include "jobs/dead_letters.h"
#include "jobs/job_actions.h"
#include "jobs/providers.h"
#include "jobs/staff_jobs.h"
#include "jobs/staff_search.h"
#include "jobs/storage_sweeper.h"
#include "jobs/workers.h"
#include "ops/metrics.h"
#include "ops/system_health.h"
#include "plugin/plugin_host.h"
#include "progress/progress_hub.h"
#include "quota/bandwidth_meter.h"
#include "quota/plan_admin.h"
#include "quota/quota.h"
#include "storage/download_links.h"
#include "storage/range_reads.h"
#include "storage/storage_backend.h"
#include "store/read_pool.h"

namespace tseeder::daemon::handlers {

// /health, /plugins
struct SystemApi {
  const std::string& role;
  plugin::PluginHost& plugins;
  const jobs::Workers& workers;
  const auth::AuthSettings& auth;  // its public_url: where clients reach the API over TCP
};

// /auth: accounts, sessions, API keys. Passwords are hashed on `kdf`, answers finish on `io`.
struct AuthApi {
  auth::AccountService& accounts;
  auth::Credentials& credentials;
  const auth::AuthSettings& settings;
  boost::asio::io_context& io;
  boost::asio::thread_pool& kdf;
};

// /jobs and /jobs/{id}: what owners do with their jobs.
struct JobsApi {
  jobs::JobActions& jobs;
};

// /jobs/{id}/events: the stored timeline, then live events.
struct JobEventsApi {
  jobs::JobActions& jobs;
  progress::ProgressHub& hub;
  boost::asio::io_context& io;
  StreamQuota& streams;
  std::int64_t streams_per_account;  // limits.streams_per_account; 0: no limit
};

// /jobs/{id}/files…, /jobs/{id}/zip and /dl/{token}: stored content, metered.
struct FilesApi {
  jobs::JobActions& jobs;
  storage::StorageBackend& storage;
  storage::RangeReads& reads;
  quota::BandwidthMeter& meter;
  storage::DownloadLinks& links;
  auth::Credentials& credentials;
  const auth::AuthSettings& auth;  // its public_url starts the links handed out
  const Clock& clock;
  std::int64_t link_ttl_s;  // downloads.link_ttl_s
};

// /usage and /admin/plans
struct PlansApi {
  quota::Quota& quota;
  quota::PlanAdmin& plans;
};

// /admin/bootstrap, /admin/users and /admin/audit
struct UsersAdminApi {
  auth::UserAdmin& users;
  audit::AuditLog& audit;
  const auth::AuthSettings& settings;
  boost::asio::io_context& io;
  boost::asio::thread_pool& kdf;  // where new accounts' passwords are hashed
};

// /admin/blocklist, /admin/dlq and /admin/storage
struct ContentAdminApi {
  jobs::ContentBlocklist& blocklist;
  jobs::DeadLetters& dead_letters;
  jobs::StorageSweeper& sweeper;
};

// /admin/providers
// /admin/jobs: every user's jobs.
struct StaffJobsApi {
  jobs::StaffJobs& jobs;
  const Clock& clock;
};

// /admin/wallets, /admin/prices
struct BillingAdminApi {
  billing::WalletAdmin& wallets;
};

// /billing: users' crypto orders; /admin/orders: everyone's, and confirming one.
struct BillingApi {
  billing::CryptoOrders& orders;
  billing::OrderConfirmations& confirmations;
  billing::PaymentWatch& watch;
  billing::WalletAdmin& wallets;
  billing::CardBilling& cards;
  net::CardApi card_api;
  std::string webhook_secret;
  const Clock& clock;
  boost::asio::io_context& io;
  boost::asio::thread_pool& outbound;  // calls to the card processor wait here
};

// /metrics
struct MetricsApi {
  ops::Metrics metrics;
  store::ReadPool& readers;
  boost::asio::io_context& io;
};

// /admin/health
struct HealthApi {
  ops::SystemHealth health;
  store::ReadPool& readers;
  boost::asio::io_context& io;
  boost::asio::thread_pool& outbound;  // the network checks wait here
};

// /admin/config-history
struct ConfigHistoryApi {
  audit::ConfigHistory& history;
};

// /admin/search
struct StaffSearchApi {
  jobs::StaffSearch& search;
};

struct ProvidersApi {
  jobs::Providers& providers;
  boost::asio::io_context& io;
  boost::asio::thread_pool& outbound;  // calls to remote providers wait here, never on the loop
};

// /admin/fleet/join-tokens
struct JoinTokensApi {
  fleet::JoinTokens& tokens;
};

// /admin/fleet/agents on a controller; `jobs` takes back the jobs of a removed agent.
struct AgentsAdminApi {
  fleet::Controller& fleet;
  jobs::RemoteEvents& jobs;
};

// /admin/fleet/agents on a daemon that runs its jobs itself: no agents to show or act on.
struct NoAgentsApi {
  const std::string& role;
};

// /fleet/v1: the agents' wire, on a controller only.
struct FleetWireApi {
  fleet::Controller& fleet;
  fleet::WireVerifier& wire;
  jobs::RemoteEvents& jobs;
  audit::AuditLog& audit;
  auth::RateLimiter& limiter;
};

}  // namespace tseeder::daemon::handlers
