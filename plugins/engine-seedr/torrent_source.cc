#include "torrent_source.h"

#include <openssl/sha.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "core/path_safety.h"
#include "net/address_policy.h"

namespace tseeder::engine_seedr {
namespace {

std::string to_hex(const unsigned char* p, std::size_t n) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += hex[p[i] >> 4];
    out += hex[p[i] & 15];
  }
  return out;
}

// 32 base32 characters (RFC 4648) to 40 hex; empty when not base32.
std::string base32_to_hex(const std::string& s) {
  std::string bytes;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : s) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a';
    else if (c >= '2' && c <= '7')
      v = c - '2' + 26;
    else
      return {};
    buffer = (buffer << 5) | static_cast<unsigned>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

// The end of the bencoded value starting at i; npos when malformed.
std::size_t value_end(const std::string& d, std::size_t i, int depth = 0) {
  if (i >= d.size() || depth > 64) return std::string::npos;
  const char c = d[i];
  if (c == 'i') {
    auto e = d.find('e', i);
    return e == std::string::npos ? e : e + 1;
  }
  if (c == 'l' || c == 'd') {
    ++i;
    while (i < d.size() && d[i] != 'e') {
      i = value_end(d, i, depth + 1);
      if (i == std::string::npos) return i;
    }
    return i < d.size() ? i + 1 : std::string::npos;
  }
  if (!std::isdigit(static_cast<unsigned char>(c))) return std::string::npos;
  auto colon = d.find(':', i);
  if (colon == std::string::npos || colon - i > 12) return std::string::npos;
  const auto len = std::stoull(d.substr(i, colon - i));
  return len > d.size() - colon - 1 ? std::string::npos : colon + 1 + len;
}

std::string string_at(const std::string& d, std::size_t i) {
  auto colon = d.find(':', i);
  return d.substr(colon + 1, value_end(d, i) - colon - 1);
}

}  // namespace

bool is_magnet(const std::string& source) {
  return source.rfind("magnet:?", 0) == 0;
}

bool is_torrent_url(const std::string& source) {
  const bool http = source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0;
  if (!http || source.find_first_of(" \t\r\n") != std::string::npos) return false;
  auto path_end = source.find_first_of("?#", source.find("://") + 3);
  auto path = source.substr(0, path_end);
  if (path.size() < 8) return false;
  auto tail = path.substr(path.size() - 8);
  for (auto& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == ".torrent";
}

std::optional<std::string> restricted_url_host(const std::string& url) {
  const auto start = url.find("://") + 3;
  auto end = url.find_first_of("/?#", start);
  auto authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  std::string host = authority;
  if (!host.empty() && host[0] == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  return net::restricted_ip_literal(host);
}

bool is_torrent_file(const std::string& source) {
  if (source.empty() || source[0] != '/') return false;
  std::ifstream in(source, std::ios::binary);
  char c = 0;
  return in.get(c) && c == 'd';
}

std::optional<SourceFacts> magnet_facts(const std::string& magnet, std::string& why) {
  SourceFacts out;
  std::size_t pos = magnet.find('?');
  while (pos != std::string::npos && pos + 1 < magnet.size()) {
    auto end = magnet.find('&', pos + 1);
    auto part = magnet.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
    auto eq = part.find('=');
    if (eq != std::string::npos) {
      auto key = part.substr(0, eq), value = percent_decode(part.substr(eq + 1));
      if (key == "xt" && value.rfind("urn:btih:", 0) == 0 && out.infohash.empty()) {
        auto h = value.substr(9);
        if (h.size() == 40 && h.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
          for (auto& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          out.infohash = h;
        } else if (h.size() == 32) {
          out.infohash = base32_to_hex(h);
        }
      } else if (key == "dn") {
        out.name = valid_utf8(value);
      }
    }
    pos = end;
  }
  if (out.infohash.size() != 40) {
    why = "the magnet link has no BitTorrent v1 infohash (xt=urn:btih:…), which Seedr needs";
    return std::nullopt;
  }
  return out;
}

std::optional<SourceFacts> torrent_file_facts(const std::string& path, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string d = text.str();
  // Top-level keys in order; `info` is hashed exactly as it is written.
  std::size_t i = 1;
  while (d.size() > 1 && d[0] == 'd' && i < d.size() && d[i] != 'e') {
    const auto key_end = value_end(d, i);
    if (key_end == std::string::npos) break;
    const auto key = string_at(d, i);
    const auto end = value_end(d, key_end);
    if (end == std::string::npos) break;
    if (key == "info" && d[key_end] == 'd') {
      unsigned char digest[SHA_DIGEST_LENGTH];
      SHA1(reinterpret_cast<const unsigned char*>(d.data() + key_end), end - key_end, digest);
      SourceFacts out{to_hex(digest, sizeof digest), {}};
      for (std::size_t j = key_end + 1; j < end - 1;) {
        const auto k_end = value_end(d, j);
        if (k_end == std::string::npos) break;
        const auto v_end = value_end(d, k_end);
        if (v_end == std::string::npos) break;
        if (string_at(d, j) == "name" && std::isdigit(static_cast<unsigned char>(d[k_end])))
          out.name = valid_utf8(string_at(d, k_end));
        j = v_end;
      }
      return out;
    }
    i = end;
  }
  why = "not a valid .torrent file (no info dictionary)";
  return std::nullopt;
}

}  // namespace tseeder::engine_seedr
