#include "core/redact.h"

#include <array>
#include <cctype>

namespace tseeder {
namespace {

bool credential_name(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  constexpr std::array<std::string_view, 9> kWords{"token", "key",       "secret", "pass",      "pwd",
                                                   "sig",   "signature", "auth",   "credential"};
  for (auto w : kWords)
    if (lower.find(w) != std::string::npos) return true;
  return false;
}

bool ends_url(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '<' || c == '>';
}

// One URL (no spaces) with its credentials masked.
std::string redact_one(std::string_view url, std::size_t authority_start) {
  std::string out(url.substr(0, authority_start));
  const auto authority_end = url.find_first_of("/?#", authority_start);
  std::string_view authority = url.substr(authority_start, authority_end - authority_start);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    out += "<redacted>@";
    authority.remove_prefix(at + 1);
  }
  out += authority;
  if (authority_end == std::string_view::npos) return out;
  std::string_view rest = url.substr(authority_end);
  const auto q = rest.find('?');
  out += rest.substr(0, q);
  if (q == std::string_view::npos) return out;
  rest.remove_prefix(q);
  // ?a=b&c=d#f: values of credential-like names go.
  std::size_t i = 0;
  while (i < rest.size()) {
    const char sep = rest[i];
    out.push_back(sep);
    if (sep == '#') {
      out += rest.substr(i + 1);
      break;
    }
    const auto end = rest.find_first_of("&#", i + 1);
    std::string_view pair = rest.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && credential_name(pair.substr(0, eq)))
      out.append(pair.substr(0, eq + 1)).append("<redacted>");
    else
      out.append(pair);
    if (end == std::string_view::npos) break;
    i = end;
  }
  return out;
}

}  // namespace

std::string redact_url_credentials(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto scheme_end = text.find("://", i);
    if (scheme_end == std::string_view::npos) break;
    auto start = scheme_end;
    while (start > i && (std::isalnum(static_cast<unsigned char>(text[start - 1])) || text[start - 1] == '+' ||
                         text[start - 1] == '-' || text[start - 1] == '.'))
      --start;
    auto end = scheme_end + 3;
    while (end < text.size() && !ends_url(text[end])) ++end;
    out.append(text.substr(i, start - i));
    out += redact_one(text.substr(start, end - start), scheme_end + 3 - start);
    i = end;
  }
  out.append(text.substr(i));
  return out;
}

}  // namespace tseeder
