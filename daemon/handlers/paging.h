// Paging for list routes: `limit`, a small `offset`, or `after` — the position of the last row
// of the page before, which each page's `next` link carries. Lists ask the store for one row more
// than the limit; that row only says whether a page follows.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json_util.h"
#include "http/request.h"
#include "store/cursor.h"

namespace tseeder::daemon::handlers {

// Past this, offset pages would walk every row before them; `after` does not.
constexpr int kMaxOffset = 1000;

struct Paging {
  int limit = 50;
  int offset = 0;
  std::optional<store::Cursor> after;
  int fetch() const { return limit + 1; }  // what to ask the store for
};

// Lists that never had `offset` refuse it; the others take it up to kMaxOffset.
enum class Offset { small, refused };
Paging paging_query(const Request& req, int default_limit, int max_limit, Offset offset = Offset::small);

// A link to `path` with these query parameters, encoded.
std::string link_to(const std::string& path, const std::map<std::string, std::string>& query);
// This request's path and filters with limit and after=<last>.
std::string next_link(const Request& req, const Paging& page, const store::Cursor& last);

// Drops the extra row; the link to the page after, or null on the last page.
template <typename Row, typename CursorOf>
Json next_page(const Request& req, const Paging& page, std::vector<Row>& rows, CursorOf cursor_of) {
  if (rows.size() <= static_cast<std::size_t>(page.limit)) return nullptr;
  rows.resize(static_cast<std::size_t>(page.limit));
  return next_link(req, page, cursor_of(rows.back()));
}

}  // namespace tseeder::daemon::handlers
