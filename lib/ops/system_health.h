// The health view: each part the service stands on, checked now, with a status and a one-line
// reason; the worst status is the whole's. Checks run where their work belongs: the store's on a
// reader thread, the network's on a worker, the in-memory ones on the event loop.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/json_util.h"
#include "fleet/controller.h"
#include "jobs/providers.h"
#include "net/smtp_mailer.h"
#include "plugin/plugin_host.h"
#include "storage/storage_backend.h"
#include "store/db.h"

namespace tseeder::ops {

enum class Status { ok, degraded, down };
const char* to_string(Status s);

struct Check {
  std::string name;
  Status status = Status::ok;
  std::string reason;
  Json detail = Json::object();
  double ms = 0;  // how long the check took
};

struct HealthParts {
  store::Db& db;
  storage::StorageBackend& storage;
  net::SmtpMailer& mailer;
  plugin::PluginHost& plugins;
  jobs::Providers& providers;
  const fleet::Controller* fleet;  // a controller's agents; null on a single node
  const config::Config& cfg;
  const Clock& clock;
  std::int64_t started_ms;
  bool mail_needed;  // accounts wait for a verification mail
};

class SystemHealth {
 public:
  explicit SystemHealth(HealthParts parts) : p_(parts) {}
  // The store's own check, its log's size, the waiting jobs and the dead letters (reader thread).
  std::vector<Check> store_checks();
  // Disk space, the storage backend, mail, the scanner and a remote provider (worker thread).
  std::vector<Check> remote_checks();
  // Plugins and agents (event loop).
  std::vector<Check> local_checks();
  // The whole: version, uptime, the worst status and every check.
  Json report(std::vector<Check> checks) const;

 private:
  Check disk(const std::string& name, const std::string& dir, std::int64_t reserve_bytes) const;
  Check storage();
  Check mail();
  Check scanner();
  HealthParts p_;
};

}  // namespace tseeder::ops
