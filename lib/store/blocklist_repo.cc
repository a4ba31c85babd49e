#include "store/blocklist_repo.h"

#include <limits>

namespace tseeder::store {
namespace {
BlockedContent read_entry(const Stmt& s) {
  return {s.text(0), s.text(1), s.opt_text(2), s.int64(3)};
}
constexpr const char* kSelect = "SELECT infohash, reason, added_by, created_at FROM blocklist ";
}  // namespace

bool BlocklistRepo::add(const BlockedContent& b) {
  auto s = db_.prepare(
      "INSERT INTO blocklist (infohash, reason, added_by, created_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (infohash) DO NOTHING");
  s.bind(1, b.infohash).bind(2, b.reason).bind(3, b.added_by).bind(4, b.created_at_ms);
  s.run();
  return db_.changes() > 0;
}

bool BlocklistRepo::remove(const std::string& infohash) {
  auto s = db_.prepare("DELETE FROM blocklist WHERE infohash = ?1");
  s.bind(1, infohash);
  s.run();
  return db_.changes() > 0;
}

std::vector<BlockedContent> BlocklistRepo::list(int limit, const std::optional<Cursor>& after) {
  auto s = db_.prepare(std::string(kSelect) +
                       "WHERE (created_at, infohash) < (?1, ?2) ORDER BY created_at DESC, infohash DESC LIMIT ?3");
  const Cursor from = after.value_or(Cursor{std::numeric_limits<std::int64_t>::max(), ""});
  s.bind(1, from.at).bind(2, from.key).bind(3, static_cast<std::int64_t>(limit));
  std::vector<BlockedContent> out;
  while (s.step()) out.push_back(read_entry(s));
  return out;
}

std::optional<BlockedContent> BlocklistRepo::find_any(const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    auto s = db_.prepare(std::string(kSelect) + "WHERE infohash = ?1");
    s.bind(1, id);
    if (s.step()) return read_entry(s);
  }
  return std::nullopt;
}

}  // namespace tseeder::store
