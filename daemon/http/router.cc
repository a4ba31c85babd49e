#include "http/router.h"

namespace tseeder::daemon {
namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return parts;
}

bool match_pattern(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params) {
  auto pp = split(pattern), ps = split(path);
  if (pp.size() != ps.size()) return false;
  std::map<std::string, std::string> got;
  for (std::size_t i = 0; i < pp.size(); ++i) {
    if (pp[i].size() > 2 && pp[i].front() == '{' && pp[i].back() == '}')
      got[std::string(pp[i].substr(1, pp[i].size() - 2))] = std::string(ps[i]);
    else if (pp[i] != ps[i])
      return false;
  }
  params = std::move(got);
  return true;
}

}  // namespace

RouteMatch Router::match(http::verb method, std::string_view path) const {
  RouteMatch m;
  bool path_known = false;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match_pattern(r.pattern, path, params)) continue;
    path_known = true;
    m.allow += (m.allow.empty() ? "" : ", ") + std::string(http::to_string(r.method));
    if (r.method == method && !m.route) {
      m.route = &r;
      m.params = std::move(params);
    }
  }
  if (!m.route) m.status = path_known ? 405 : 404;
  return m;
}

}  // namespace tseeder::daemon
