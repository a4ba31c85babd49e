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
  // Sets the value and records the change (old_value, when not given, is the value kept); returns
  // its version.
  std::int64_t set(SettingChange change);
  // Records a change of something kept elsewhere (a plan's limit, a blocked infohash) as it is;
  // returns its version.
  std::int64_t record(const SettingChange& change);
  // The value now, without a change of its own (the change is recorded apart).
  void put(const std::string& key, const std::string& value, std::int64_t version);
  // Newest first; only `key`'s (and those under `key.`) when given; versions below `before` when given.
  std::vector<SettingChange> history(const std::optional<std::string>& key, std::optional<std::int64_t> before,
                                     int limit);
  // Oldest first: the changes after version `after` up to `upto`, at most `limit`.
  std::vector<SettingChange> between(std::int64_t after, std::int64_t upto, int limit);
  std::int64_t latest_version();

 private:
  Db& db_;
};

}  // namespace tseeder::store
