#include "config/config_keys.h"

#include <charconv>

namespace tseeder::config {

SchemaRow int_key(std::string path, Member m, std::int64_t lo, std::int64_t hi, std::string help) {
  SchemaRow r{std::move(path), std::move(help), false, {}, {}};
  r.apply = [m, lo, hi](Config& c, const KeyValueText& v) -> std::string {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), n);
    if (v.is_list || ec != std::errc() || end != v.text.data() + v.text.size())
      return "'" + v.text + "' is not a whole number";
    if (n < lo || n > hi)
      return std::to_string(n) + " is out of range " + std::to_string(lo) + ".." + std::to_string(hi);
    c.*m = n;
    return {};
  };
  r.show = [m](const Config& c) { return std::to_string(c.*m); };
  return r;
}

SchemaRow string_key(std::string path, StrMember m, std::string help, Check check) {
  SchemaRow r{std::move(path), std::move(help), false, {}, {}};
  r.apply = [m, check](Config& c, const KeyValueText& v) -> std::string {
    if (v.is_list) return "expected a single value, not a list";
    if (check) {
      if (auto e = check(v.text); !e.empty()) return e;
    }
    c.*m = v.text;
    return {};
  };
  r.show = [m](const Config& c) { return "\"" + c.*m + "\""; };
  return r;
}

SchemaRow bool_key(std::string path, BoolMember m, std::string help) {
  SchemaRow r{std::move(path), std::move(help), false, {}, {}};
  r.apply = [m](Config& c, const KeyValueText& v) -> std::string {
    if (v.is_list) return "expected true or false, not a list";
    if (v.text == "true" || v.text == "yes" || v.text == "on") {
      c.*m = true;
    } else if (v.text == "false" || v.text == "no" || v.text == "off") {
      c.*m = false;
    } else {
      return "'" + v.text + "' is not true or false";
    }
    return {};
  };
  r.show = [m](const Config& c) { return std::string(c.*m ? "true" : "false"); };
  return r;
}

std::string check_host_port(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) return "'" + s + "' is not HOST:PORT";
  unsigned port = 0;
  auto p = s.substr(colon + 1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (p.empty() || ec != std::errc() || end != p.data() + p.size() || port > 65535)
    return "'" + p + "' is not a port number (0-65535)";
  return {};
}

std::string check_log_level(const std::string& s) {
  for (const char* l : {"trace", "debug", "info", "warn", "error"})
    if (s == l) return {};
  return "'" + s + "' is not one of trace, debug, info, warn, error";
}

std::string check_encryption(const std::string& s) {
  return s == "enabled" || s == "forced" || s == "disabled" ? ""
                                                            : "'" + s + "' is not one of enabled, forced, disabled";
}

std::string check_proxy(const std::string& s) {
  if (s.empty()) return {};
  for (const char* scheme : {"socks5://", "socks4://", "http://"})
    if (s.rfind(scheme, 0) == 0) return check_host_port(s.substr(std::string(scheme).size()));
  return "'" + s + "' is not socks5://HOST:PORT, socks4://HOST:PORT or http://HOST:PORT";
}

std::string check_ratio(const std::string& s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0 || v > 1000)
    return "'" + s + "' is not a ratio from 0 to 1000 (e.g. 1.5)";
  return {};
}

SchemaRow secret_key(std::string path, StrMember m, std::string help) {
  SchemaRow r = string_key(std::move(path), m, std::move(help));
  r.secret = true;
  return r;
}

SchemaRow list_key(std::string path, ListMember m, std::string help) {
  SchemaRow r{std::move(path), std::move(help), false, {}, {}};
  r.apply = [m](Config& c, const KeyValueText& v) -> std::string {
    if (!v.is_list) return "expected a list, e.g. [a, b]";
    c.*m = v.items;
    return {};
  };
  r.show = [m](const Config& c) {
    std::string out = "[";
    for (std::size_t i = 0; i < (c.*m).size(); ++i) out += (i ? ", \"" : "\"") + (c.*m)[i] + "\"";
    return out + "]";
  };
  return r;
}

std::string check_url_with(const std::string& s, std::initializer_list<const char*> schemes, const char* what) {
  if (s.empty()) return {};
  for (const char* scheme : schemes) {
    std::string sch(scheme);
    if (s.rfind(sch, 0) == 0 && s.size() > sch.size() && s.find_first_of(" \t\r\n") == std::string::npos) return {};
  }
  return "'" + s + "' is not " + what;
}

std::string check_public_url(const std::string& s) {
  return check_url_with(s, {"http://", "https://"}, "an http:// or https:// URL");
}

std::string check_smtp_url(const std::string& s) {
  return check_url_with(s, {"smtp://", "smtps://"}, "smtp://HOST:PORT or smtps://HOST:PORT");
}

}  // namespace tseeder::config
