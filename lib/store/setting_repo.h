// SQL for runtime settings: their values now, and the versioned history of their changes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace tseeder::store {

struct SettingChange {
  std::int64_t version = 0;
  std::string key;
  std::optional<std::string> old_value;  // none: the first value set
  std::string new_value;
  std::optional<std::string> actor_id;
  std::string reason;
  std::string ticket_id;
  std::int64_t created_at_ms = 0;
};

class SettingRepo {
 public:
  explicit SettingRepo(Db& db) : db_(db) {}
  std::optional<std::string> value(const std::string& key);
  // Sets the value and records the change (change.old_value is filled in); returns its version.
  std::int64_t set(SettingChange change);
  // Newest first; only `key`'s when given; versions below `before` when given.
  std::vector<SettingChange> history(const std::optional<std::string>& key, std::optional<std::int64_t> before,
                                     int limit);

 private:
  Db& db_;
};

}  // namespace tseeder::store
