// Where torrent jobs run: `local` (engine-libtorrent, on this daemon or its agents) or `seedr`
// (engine-seedr: a remote torrent service whose finished files are pulled over HTTPS). Staff
// switch it while the daemon runs; new jobs go to the new provider and jobs in flight finish where
// they are. The choice is a runtime setting with a versioned history, and every switch is audited.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "model/job.h"
#include "model/justification.h"
#include "plugin/plugin_host.h"
#include "store/setting_repo.h"

namespace tseeder::jobs {

struct ProviderInfo {
  std::string name;
  std::string engine;  // the engine plugin that runs its jobs
  std::string about;
};

// Every provider tseeder knows, `local` first (the default).
const std::vector<ProviderInfo>& known_providers();

struct ProviderSwitch {
  std::int64_t version = 0;
  std::string from, to;
  std::vector<Job> in_flight;  // unfinished jobs still on the old provider's engine
};

class Providers {
 public:
  Providers(store::Db& db, const Clock& clock, audit::AuditLog& audit, plugin::PluginHost& plugins);

  // The active provider's name, and the version of the change that made it so (0: the default).
  std::string active();
  std::int64_t version();
  // Each known provider with whether its engine is loaded, and which is active.
  Json describe();
  // Staff only (checked by the caller): audited; Error(conflict) when `to` is active already or its
  // engine is not loaded, Error(invalid_argument) for an unknown name or a missing justification.
  ProviderSwitch switch_to(const auth::Principal& actor, const std::string& to, const auth::Justification& why,
                           const auth::RequestMeta& meta);
  std::vector<store::SettingChange> history(std::optional<std::int64_t> before, int limit);

  // What a remote provider's engine says of its account (health and the reason, space and
  // bandwidth), nullopt for a provider without one or whose engine is not loaded. Asks the service
  // over the network and reads no store: callers run it off the event loop.
  std::optional<Json> account(const std::string& provider) const;
  // A device-code login for a remote provider: "login_start" or "login_poll" (see plugin.h).
  // Error(invalid_argument) for an unknown provider, Error(conflict) when its engine is not loaded
  // or has no login, Error(unavailable) when the service did not answer.
  Json login(const std::string& provider, const std::string& step) const;
  // Audits a login that was approved.
  void record_login(const auth::Principal& actor, const std::string& provider, const auth::RequestMeta& meta);

 private:
  // Tells the plugin host which engine new jobs try first.
  void prefer_active();

  store::Db& db_;
  const Clock& clock_;
  audit::AuditLog& audit_;
  plugin::PluginHost& plugins_;
};

}  // namespace tseeder::jobs
