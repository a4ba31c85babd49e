#include "audit/config_history.h"

#include <map>

#include "config/config_schema.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/redact.h"
#include "model/job.h"

namespace tseeder::audit {
namespace {

constexpr int kMaxDiffChanges = 100000;
constexpr const char* kConfigPrefix = "config.";
constexpr const char* kUnset = "(unset)";

// What the store keeps of a key's value to see the next start's change, and what staff see.
struct Shown {
  std::string kept;
  std::string shown;
};

Shown show(const config::SchemaRow& row, const config::Config& cfg, const std::string& mac_key) {
  const std::string raw = row.show(cfg);
  const std::string redacted = redact_url_credentials(raw);
  if (!row.secret && redacted == raw) return {raw, raw};
  if (raw.empty() || raw == "\"\"") return {"", kUnset};
  // Keyed: a fingerprint of a short password in the store must not be a way to guess it.
  return {"mac:" + hmac_sha256_hex(mac_key, raw), row.secret ? "(secret)" : redacted + " (credentials hidden)"};
}

void check_key(const std::string& key) {
  const bool ok = !key.empty() && key.size() <= 200 &&
                  key.find_first_not_of(
                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789._-") == std::string::npos;
  if (!ok)
    throw Error(Errc::invalid_argument, "key '" + key.substr(0, 80) + "' is not a setting key",
                "letters, digits, '.', '_' and '-', up to 200; e.g. plan.pro or config.jobs.max_active", "key");
}

}  // namespace

void ConfigHistory::record(const auth::Principal& actor, const auth::Justification& why,
                           const std::vector<SettingEdit>& edits) {
  store::SettingRepo repo(db_);
  const auto now = clock_.now_ms();
  for (const auto& e : edits)
    if (e.from != e.to) repo.record({0, e.key, e.from, e.to, actor.user.value, why.reason, why.ticket_id, now});
}

int ConfigHistory::record_config(const config::Config& cfg, const std::string& mac_key, const std::string& source) {
  store::SettingRepo repo(db_);
  const config::Config defaults;
  const auto now = clock_.now_ms();
  int changed = 0;
  store::Transaction tx(db_);
  for (const auto& row : config::schema()) {
    const std::string key = kConfigPrefix + row.path;
    const Shown now_value = show(row, cfg, mac_key);
    const Shown was = show(row, defaults, mac_key);
    const auto kept = repo.value(key);
    if (now_value.kept == kept.value_or(was.kept)) continue;
    // The value shown before: the kept one unless it is a fingerprint (then only that it was set).
    std::string before = kept ? (kept->starts_with("mac:") ? std::string("(secret)")
                                 : kept->empty()           ? kUnset
                                                           : *kept)
                              : was.shown;
    std::string after = now_value.shown;
    if (row.secret && after == "(secret)") after = "(secret, changed)";
    const auto version = repo.record({0, key, before, after, std::nullopt, "read at start from " + source, "", now});
    repo.put(key, now_value.kept, version);
    ++changed;
  }
  tx.commit();
  return changed;
}

std::vector<store::SettingChange> ConfigHistory::list(const std::optional<std::string>& key,
                                                      std::optional<std::int64_t> before, int limit) {
  if (key) check_key(*key);
  return store::SettingRepo(db_).history(key, before, limit);
}

std::vector<SettingDiff> ConfigHistory::diff(std::int64_t from, std::int64_t to) {
  store::SettingRepo repo(db_);
  const auto latest = repo.latest_version();
  if (from < 0 || to < 0)
    throw Error(Errc::invalid_argument, "versions are whole numbers from 0", "see tseeder admin config history");
  if (from >= to)
    throw Error(Errc::invalid_argument,
                "version " + std::to_string(from) + " is not before version " + std::to_string(to),
                "give the older version first");
  if (to > latest)
    throw Error(Errc::not_found,
                "version " + std::to_string(to) + " does not exist (the latest is " + std::to_string(latest) + ")",
                "see tseeder admin config history");
  const auto changes = repo.between(from, to, kMaxDiffChanges + 1);
  if (changes.size() > static_cast<std::size_t>(kMaxDiffChanges))
    throw Error(Errc::invalid_argument, "more than 100000 changes between these versions", "compare closer versions");
  std::map<std::string, SettingDiff> by_key;
  for (const auto& c : changes) {
    auto [it, first] = by_key.try_emplace(c.key);
    if (first) {
      it->second.key = c.key;
      it->second.from = c.old_value;
    }
    it->second.to = c.new_value;
    ++it->second.changes;
    it->second.last = c;
  }
  std::vector<SettingDiff> out;
  for (auto& [key, d] : by_key)
    if (d.from != d.to) out.push_back(std::move(d));
  return out;
}

Json to_json(const store::SettingChange& c) {
  return {{"version", c.version},         {"key", c.key},
          {"from", or_null(c.old_value)}, {"to", c.new_value},
          {"actor", or_null(c.actor_id)}, {"reason", c.reason},
          {"ticketId", c.ticket_id},      {"at", jobs::iso8601(c.created_at_ms)}};
}

Json to_json(const SettingDiff& d) {
  return {{"key", d.key},
          {"from", or_null(d.from)},
          {"to", d.to},
          {"changes", d.changes},
          {"lastVersion", d.last.version},
          {"lastActor", or_null(d.last.actor_id)},
          {"lastAt", jobs::iso8601(d.last.created_at_ms)}};
}

}  // namespace tseeder::audit
