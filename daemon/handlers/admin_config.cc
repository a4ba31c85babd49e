// /admin/config-history: every change to a setting, newest first, and the difference between two
// versions of the whole configuration.
#include <limits>

#include "audit/config_history.h"
#include "core/error.h"
#include "handlers/handlers.h"
#include "handlers/paging.h"

namespace tseeder::daemon::handlers {

Reply admin_config_history(ConfigHistoryApi& api, Request& req) {
  auto page = paging_query(req, 50, 1000, Offset::refused);
  // `before` (a version) starts a page by hand: the changes older than it.
  if (req.query.contains("before") && !page.after)
    page.after = store::Cursor{int_query(req, "before", 0, 1, std::numeric_limits<std::int64_t>::max()), ""};
  auto rows =
      api.history.list(req.query_param("key"), page.after ? std::optional(page.after->at) : std::nullopt, page.fetch());
  Json next = next_page(req, page, rows, [](const store::SettingChange& c) { return store::Cursor{c.version, ""}; });
  Json list = Json::array();
  for (const auto& c : rows) list.push_back(audit::to_json(c));
  return Reply::json(200, {{"changes", std::move(list)}, {"next", next}});
}

Reply admin_config_diff(ConfigHistoryApi& api, Request& req) {
  if (!req.query_param("from") || !req.query_param("to"))
    throw Error(Errc::invalid_argument, "query parameters 'from' and 'to' are required",
                "two versions from tseeder admin config history, the older first", "from");
  const auto from = int_query(req, "from", 0, 0, INT64_MAX);
  const auto to = int_query(req, "to", 0, 0, INT64_MAX);
  Json list = Json::array();
  for (const auto& d : api.history.diff(from, to)) list.push_back(audit::to_json(d));
  return Reply::json(200, {{"from", from}, {"to", to}, {"keys", std::move(list)}});
}

}  // namespace tseeder::daemon::handlers
