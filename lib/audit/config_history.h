// Config history: every change to a setting, whether kept in the store (the torrent provider, plan
// limits, the blocklist) or read from the config file and environment at start, with its version,
// old → new value, who, why and when. Secrets appear as changed, never with their values.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/json_util.h"
#include "model/justification.h"
#include "model/principal.h"
#include "store/setting_repo.h"

namespace tseeder::audit {

struct SettingEdit {
  std::string key;   // e.g. plan.pro.maxActiveJobs, blocklist.<infohash>
  std::string from;  // as shown to staff
  std::string to;
};

// One key across a range of versions: its value before the first change and after the last.
struct SettingDiff {
  std::string key;
  std::optional<std::string> from;  // none: not set before the range
  std::string to;
  int changes = 0;
  store::SettingChange last;
};

class ConfigHistory {
 public:
  ConfigHistory(store::Db& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Records a person's edits, inside the caller's transaction when one is open.
  void record(const auth::Principal& actor, const auth::Justification& why, const std::vector<SettingEdit>& edits);
  // Compares `cfg` (the file and environment just read) with what the last start recorded and
  // records each key that differs, as `config.<key>`; the first start compares with the
  // defaults. `mac_key` keys the fingerprints that tell a changed secret without keeping it.
  // Returns how many keys changed.
  int record_config(const config::Config& cfg, const std::string& mac_key, const std::string& source);

  // Newest first; `key` also matches the keys under it (`plan.pro` → `plan.pro.storageBytes`).
  std::vector<store::SettingChange> list(const std::optional<std::string>& key, std::optional<std::int64_t> before,
                                         int limit);
  // What changed from version `from` to version `to` (0 is before any change), key by key.
  std::vector<SettingDiff> diff(std::int64_t from, std::int64_t to);

 private:
  store::Db& db_;
  const Clock& clock_;
};

Json to_json(const store::SettingChange& change);
Json to_json(const SettingDiff& diff);

}  // namespace tseeder::audit
