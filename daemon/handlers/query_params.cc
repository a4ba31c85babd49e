#include <charconv>

#include "core/error.h"
#include "handlers/handlers.h"

namespace tseeder::daemon::handlers {

std::int64_t int_query(const Request& req, const std::string& key, std::int64_t def, std::int64_t lo, std::int64_t hi) {
  auto v = req.query_param(key);
  if (!v) return def;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || ec != std::errc() || end != v->data() + v->size() || n < lo || n > hi)
    throw Error(
        Errc::invalid_argument,
        "query parameter '" + key + "' must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi),
        {}, key);
  return n;
}

std::optional<jobs::JobState> status_query(const Request& req) {
  auto s = req.query_param("status");
  if (!s) return std::nullopt;
  auto state = jobs::parse_state(*s);
  if (!state)
    throw Error(Errc::invalid_argument, "query parameter 'status' has unknown value '" + *s + "'",
                "one of submitted, metadata_fetch, queued, downloading, scanning, uploading, completed, paused, "
                "failed, cancelled, expired",
                "status");
  return state;
}

std::int64_t number_param(const Request& req, const std::string& key, const std::string& what,
                          const std::string& hint) {
  const auto& s = req.params.at(key);
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n <= 0)
    throw Error(Errc::not_found, what + " " + s + " not found", hint);
  return n;
}

}  // namespace tseeder::daemon::handlers
