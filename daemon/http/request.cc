#include "http/request.h"

#include "core/path_safety.h"

namespace tseeder::daemon {

std::string Request::header(http::field f) const {
  auto it = raw->find(f);
  return it == raw->end() ? std::string() : std::string(it->value());
}

std::string Request::header(std::string_view name) const {
  auto it = raw->find(boost::beast::string_view(name.data(), name.size()));
  return it == raw->end() ? std::string() : std::string(it->value());
}

std::optional<std::string> Request::query_param(const std::string& key) const {
  auto it = query.find(key);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Reply Reply::json(unsigned status, const Json& j) {
  Reply r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

std::map<std::string, std::string> parse_query(std::string_view q) {
  std::map<std::string, std::string> out;
  while (!q.empty()) {
    auto amp = q.find('&');
    auto part = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    std::string k(part.substr(0, eq));
    std::string v(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
    for (auto* s : {&k, &v})
      for (auto& c : *s)
        if (c == '+') c = ' ';
    out[percent_decode(k)] = percent_decode(v);
  }
  return out;
}

}  // namespace tseeder::daemon
