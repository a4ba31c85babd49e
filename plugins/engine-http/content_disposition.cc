#include "content_disposition.h"

#include <cctype>

#include "core/path_safety.h"
#include "text.h"

namespace tseeder::engine_http {
namespace {

// Reads a token or quoted-string starting at s; backslash escapes honoured in quotes.
std::string param_value(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.front() != '"') {
    auto end = s.find(';');
    return std::string(trim(s.substr(0, end)));
  }
  std::string out;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.push_back(s[++i]);
    } else if (s[i] == '"') {
      break;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> content_disposition_filename(std::string_view value) {
  std::optional<std::string> plain, extended;
  std::size_t pos = 0;
  bool in_quotes = false;
  std::size_t start = 0;
  // Split on ';' outside quotes.
  for (pos = 0; pos <= value.size(); ++pos) {
    if (pos < value.size() && value[pos] == '"') in_quotes = !in_quotes;
    if (pos == value.size() || (value[pos] == ';' && !in_quotes)) {
      std::string_view part = trim(value.substr(start, pos - start));
      start = pos + 1;
      if (iequals_prefix(part, "filename*=")) {
        std::string v = param_value(part.substr(10));
        // charset'lang'pct-encoded
        auto q1 = v.find('\'');
        auto q2 = q1 == std::string::npos ? q1 : v.find('\'', q1 + 1);
        if (q2 != std::string::npos) extended = percent_decode(v.substr(q2 + 1));
      } else if (iequals_prefix(part, "filename=")) {
        plain = param_value(part.substr(9));
      }
    }
  }
  if (extended && !extended->empty()) return extended;
  if (plain && !plain->empty()) return plain;
  return std::nullopt;
}

std::string url_file_name(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return {};
  std::string_view path = rest.substr(slash);
  path = path.substr(0, path.find_first_of("?#"));
  auto last = path.rfind('/');
  return percent_decode(path.substr(last + 1));
}

}  // namespace tseeder::engine_http
