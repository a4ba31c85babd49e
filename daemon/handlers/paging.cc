#include "handlers/paging.h"

#include <charconv>

#include "core/error.h"
#include "core/percent_encoding.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {
namespace {

// A position is "<time>_<key>": the sort time of a row and the id that breaks ties.
std::string position_text(const store::Cursor& c) {
  return std::to_string(c.at) + "_" + c.key;
}

// Empty for lists ordered by a number alone (versions, audit ids).
bool key_shaped(std::string_view key) {
  if (key.size() > 64) return false;
  for (char ch : key)
    if (!std::isalnum(static_cast<unsigned char>(ch))) return false;
  return true;
}

store::Cursor parse_position(const std::string& text) {
  const auto cut = text.find('_');
  store::Cursor c;
  const char* end = text.data() + (cut == std::string::npos ? 0 : cut);
  auto [stop, ec] = std::from_chars(text.data(), end, c.at);
  if (cut == std::string::npos || cut == 0 || ec != std::errc() || stop != end || c.at < 0 ||
      !key_shaped(std::string_view(text).substr(cut + 1)))
    throw Error(Errc::invalid_argument, "query parameter 'after' is not a list position",
                "pass the `next` link of the page before as it is", "after");
  c.key = text.substr(cut + 1);
  return c;
}

}  // namespace

Paging paging_query(const Request& req, int default_limit, int max_limit, Offset offset) {
  Paging page;
  page.limit = static_cast<int>(int_query(req, "limit", default_limit, 1, max_limit));
  page.offset = static_cast<int>(int_query(req, "offset", 0, 0, 1'000'000'000));
  if (offset == Offset::refused && page.offset != 0)
    throw Error(Errc::invalid_argument, "this list pages with after=, not offset", "follow the `next` link", "offset");
  if (page.offset > kMaxOffset)
    throw Error(Errc::invalid_argument, "query parameter 'offset' is past " + std::to_string(kMaxOffset),
                "page on with the `next` link of each page (after=)", "offset");
  if (auto after = req.query_param("after")) {
    if (page.offset != 0)
      throw Error(Errc::invalid_argument, "query parameters 'after' and 'offset' exclude each other",
                  "follow the `next` link alone", "after");
    page.after = parse_position(*after);
  }
  return page;
}

std::string link_to(const std::string& path, const std::map<std::string, std::string>& query) {
  std::string link = path;
  for (const auto& [key, value] : query)
    link += (link.size() == path.size() ? "?" : "&") + percent_encode(key) + "=" + percent_encode(value);
  return link;
}

std::string next_link(const Request& req, const Paging& page, const store::Cursor& last) {
  auto query = req.query;
  query.erase("offset");
  query.erase("before");
  query["limit"] = std::to_string(page.limit);
  query["after"] = position_text(last);
  return link_to(req.path, query);
}

}  // namespace tseeder::daemon::handlers
