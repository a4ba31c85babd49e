// SQL for the blocklist: content this daemon refuses, by infohash.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/cursor.h"
#include "store/db.h"

namespace tseeder::store {

struct BlockedContent {
  std::string infohash;  // lower-case hex, v1 (40) or v2 (64)
  std::string reason;
  std::optional<std::string> added_by;
  std::int64_t created_at_ms = 0;
};

class BlocklistRepo {
 public:
  explicit BlocklistRepo(Db& db) : db_(db) {}
  // False when the infohash was listed already (the first entry stays).
  bool add(const BlockedContent& b);
  bool remove(const std::string& infohash);
  // Newest first, from `after` on (older entries).
  std::vector<BlockedContent> list(int limit, const std::optional<Cursor>& after);
  // The first of `ids` that is listed.
  std::optional<BlockedContent> find_any(const std::vector<std::string>& ids);

 private:
  Db& db_;
};

}  // namespace tseeder::store
