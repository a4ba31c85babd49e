#include "store/setting_repo.h"

#include <cstdint>

namespace tseeder::store {

std::optional<std::string> SettingRepo::value(const std::string& key) {
  auto s = db_.prepare("SELECT value FROM runtime_settings WHERE key = ?1");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

std::int64_t SettingRepo::set(SettingChange change) {
  Transaction tx(db_);
  if (!change.old_value) change.old_value = value(change.key);
  const std::int64_t version = record(change);
  put(change.key, change.new_value, version);
  tx.commit();
  return version;
}

void SettingRepo::put(const std::string& key, const std::string& value, std::int64_t version) {
  auto s = db_.prepare(
      "INSERT INTO runtime_settings (key, value, version) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version");
  s.bind(1, key).bind(2, value).bind(3, version);
  s.run();
}

std::int64_t SettingRepo::record(const SettingChange& change) {
  auto add = db_.prepare(
      "INSERT INTO setting_changes (key, old_value, new_value, actor_id, reason, ticket_id, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING version");
  add.bind(1, change.key).bind(2, change.old_value).bind(3, change.new_value).bind(4, change.actor_id);
  add.bind(5, change.reason).bind(6, change.ticket_id).bind(7, change.created_at_ms);
  add.step();
  return add.int64(0);
}

namespace {

constexpr const char* kChangeColumns =
    "SELECT version, key, old_value, new_value, actor_id, reason, ticket_id, created_at FROM setting_changes ";

std::vector<SettingChange> read_changes(Stmt& s) {
  std::vector<SettingChange> out;
  while (s.step())
    out.push_back({s.int64(0), s.text(1), s.opt_text(2), s.text(3), s.opt_text(4), s.text(5), s.text(6), s.int64(7)});
  return out;
}

}  // namespace

std::vector<SettingChange> SettingRepo::history(const std::optional<std::string>& key,
                                                std::optional<std::int64_t> before, int limit) {
  // Two statements: an OR on a bound NULL would keep SQLite off the (key, version) index. Under a
  // key: the key itself and the range of keys that start with it and a dot ('/' follows '.').
  auto s = db_.prepare(std::string(kChangeColumns) +
                       (key ? "WHERE (key = ?1 OR (key > ?1 || '.' AND key < ?1 || '/')) AND version < ?2"
                            : "WHERE ?1 IS NULL AND version < ?2") +
                       " ORDER BY version DESC LIMIT ?3");
  s.bind(1, key).bind(2, before.value_or(INT64_MAX)).bind(3, static_cast<std::int64_t>(limit));
  return read_changes(s);
}

std::vector<SettingChange> SettingRepo::between(std::int64_t after, std::int64_t upto, int limit) {
  auto s = db_.prepare(std::string(kChangeColumns) + "WHERE version > ?1 AND version <= ?2 ORDER BY version LIMIT ?3");
  s.bind(1, after).bind(2, upto).bind(3, static_cast<std::int64_t>(limit));
  return read_changes(s);
}

std::int64_t SettingRepo::latest_version() {
  auto s = db_.prepare("SELECT coalesce(max(version), 0) FROM setting_changes");
  s.step();
  return s.int64(0);
}

}  // namespace tseeder::store
