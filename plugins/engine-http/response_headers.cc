#include "response_headers.h"

#include <array>
#include <cstdlib>
#include <utility>

#include "core/base64.h"
#include "core/digest.h"
#include "text.h"

namespace tseeder::engine_http {
namespace {

std::optional<ContentRange> parse_content_range(std::string_view v) {
  if (v.rfind("bytes ", 0) != 0) return std::nullopt;
  v.remove_prefix(6);
  const auto dash = v.find('-'), slash = v.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || dash > slash) return std::nullopt;
  auto num = [](std::string_view s, std::uint64_t& out) {
    if (s.empty() || s.size() > 19) return false;
    out = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
  };
  ContentRange r;
  if (!num(v.substr(0, dash), r.first) || !num(v.substr(dash + 1, slash - dash - 1), r.last) || r.last < r.first)
    return std::nullopt;
  const auto total = v.substr(slash + 1);
  if (total != "*" && (!num(total, r.total) || r.total <= r.last)) return std::nullopt;
  return r;
}

// The algorithms we check, strongest first: each with its names in Repr-Digest and in Digest.
struct Algorithm {
  const char* ours;
  const char* repr_name;
  const char* digest_name;
  std::size_t bytes;
};
constexpr std::array<Algorithm, 3> kAlgorithms{
    {{"sha256", "sha-256", "sha-256", 32}, {"sha1", "sha", "sha", 20}, {"md5", "md5", "md5", 16}}};

// "name=value" members of a comma-separated list, the name lower-cased.
template <typename Fn>
void each_member(std::string_view list, Fn&& fn) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto member = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    const auto eq = member.find('=');
    if (eq != std::string_view::npos) fn(ascii_lower(trim(member.substr(0, eq))), trim(member.substr(eq + 1)));
  }
}

std::string pick(std::string_view list, bool structured) {
  std::array<std::string, kAlgorithms.size()> found;
  each_member(list, [&](const std::string& name, std::string_view value) {
    // Repr-Digest is a structured-field dictionary: byte sequences come between colons.
    if (structured) {
      if (value.size() < 2 || value.front() != ':' || value.back() != ':') return;
      value = value.substr(1, value.size() - 2);
    }
    for (std::size_t i = 0; i < kAlgorithms.size(); ++i) {
      const auto& a = kAlgorithms[i];
      if (name != (structured ? a.repr_name : a.digest_name)) continue;
      auto raw = decode_base64(value);
      if (raw && raw->size() == a.bytes)
        found[i] = std::string(a.ours) + ":" + to_hex(reinterpret_cast<const unsigned char*>(raw->data()), raw->size());
    }
  });
  for (auto& f : found)
    if (!f.empty()) return f;
  return {};
}

}  // namespace

std::string header_value(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':' || !iequals_prefix(line, name)) return {};
  return std::string(trim(line.substr(name.size() + 1)));
}

void ResponseHeaders::take(std::string_view line) {
  if (line.rfind("HTTP/", 0) == 0) {
    *this = ResponseHeaders{};
  } else if (auto v = header_value(line, "content-disposition"); !v.empty()) {
    disposition = std::move(v);
  } else if (auto v = header_value(line, "etag"); !v.empty()) {
    etag = std::move(v);
  } else if (auto v = header_value(line, "last-modified"); !v.empty()) {
    last_modified = std::move(v);
  } else if (auto v = header_value(line, "content-length"); !v.empty()) {
    content_length = std::strtoull(v.c_str(), nullptr, 10);
  } else if (auto v = header_value(line, "accept-ranges"); !v.empty()) {
    accepts_ranges = ascii_lower(v) == "bytes";
  } else if (auto v = header_value(line, "transfer-encoding"); !v.empty()) {
    transfer_coded = true;
  } else if (auto v = header_value(line, "content-range"); !v.empty()) {
    content_range = parse_content_range(v);
  } else if (auto v = header_value(line, "repr-digest"); !v.empty()) {
    repr_digest = std::move(v);
  } else if (auto v = header_value(line, "digest"); !v.empty()) {
    digest = std::move(v);
  }
}

std::string ResponseHeaders::validator() const {
  return !etag.empty() && etag.rfind("W/", 0) != 0 ? etag : last_modified;
}

std::string ResponseHeaders::file_digest() const {
  auto d = pick(repr_digest, true);
  return d.empty() ? pick(digest, false) : d;
}

}  // namespace tseeder::engine_http
