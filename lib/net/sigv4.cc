#include "net/sigv4.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "core/digest.h"
#include "core/error.h"
#include "core/percent_encoding.h"

namespace tseeder::net::sigv4 {

namespace {

constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Trimmed, with runs of spaces and tabs (also folded line breaks) as one space.
std::string header_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string date_of(std::int64_t time_s) {
  return amz_date(time_s).substr(0, 8);
}

std::string scope_of(const Params& p) {
  return date_of(p.time_s) + "/" + p.region + "/" + p.service + "/aws4_request";
}

struct CanonicalHeaders {
  std::string text;          // "name:value\n" lines
  std::string signed_names;  // "host;x-amz-date"
};

CanonicalHeaders canonical_headers(const Pairs& headers) {
  std::map<std::string, std::string> merged;  // sorted by lower-case name
  for (const auto& [name, value] : headers) {
    auto& slot = merged[lower(name)];
    slot += (slot.empty() ? "" : ",") + header_value(value);
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : merged) {
    out.text += name + ":" + value + "\n";
    out.signed_names += (out.signed_names.empty() ? "" : ";") + name;
  }
  return out;
}

Signature finish(const std::string& canonical_request, const Credentials& creds, const Params& p) {
  Signature s;
  s.canonical_request = canonical_request;
  s.string_to_sign =
      std::string(kAlgorithm) + "\n" + amz_date(p.time_s) + "\n" + scope_of(p) + "\n" + hex_sha256(canonical_request);
  std::string key = hmac_sha256("AWS4" + creds.secret_key, date_of(p.time_s));
  key = hmac_sha256(key, p.region);
  key = hmac_sha256(key, p.service);
  key = hmac_sha256(key, "aws4_request");
  s.signature = hmac_sha256_hex(key, s.string_to_sign);
  return s;
}

std::string build_canonical(const Request& req, const Pairs& query, const CanonicalHeaders& h, const Params& p) {
  return req.method + "\n" + canonical_path(req.path, p.normalize_path) + "\n" + canonical_query(query) + "\n" +
         h.text + "\n" + h.signed_names + "\n" + req.payload_sha256;
}

}  // namespace

std::string uri_encode(std::string_view s, bool keep_slash) {
  return percent_encode(s, keep_slash ? "/" : "");
}

std::string canonical_path(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  if (!normalize) return uri_encode(path, true);
  // RFC 3986 dot-segment removal, with empty segments dropped as well.
  std::vector<std::string_view> segs;
  std::size_t start = 0;
  bool trailing = false;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    auto seg = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    trailing = seg.empty() || seg == "." || seg == "..";
    if (seg == "..") {
      if (!segs.empty()) segs.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segs.push_back(seg);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (auto s : segs) out += "/" + uri_encode(s, false);
  if (out.empty() || trailing) out += "/";
  return out;
}

std::string canonical_query(const Pairs& query) {
  std::vector<std::pair<std::string, std::string>> enc;
  enc.reserve(query.size());
  for (const auto& [k, v] : query) enc.emplace_back(uri_encode(k, false), uri_encode(v, false));
  std::sort(enc.begin(), enc.end());
  std::string out;
  for (const auto& [k, v] : enc) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

std::string hex_sha256(std::string_view data) {
  return sha256_hex(data);
}

std::string amz_date(std::int64_t time_s) {
  std::time_t t = static_cast<std::time_t>(time_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

SignedHeaders sign(const Request& req, const Credentials& creds, const Params& p) {
  Pairs headers = req.headers;
  SignedHeaders out;
  auto add = [&](std::string name, std::string value, bool signed_too) {
    out.added_headers.emplace_back(name, value);
    if (signed_too) headers.emplace_back(std::move(name), std::move(value));
  };
  add("X-Amz-Date", amz_date(p.time_s), true);
  if (p.sign_payload_header) add("X-Amz-Content-Sha256", req.payload_sha256, true);
  if (!creds.session_token.empty()) add("X-Amz-Security-Token", creds.session_token, p.sign_session_token);
  const auto h = canonical_headers(headers);
  static_cast<Signature&>(out) = finish(build_canonical(req, req.query, h, p), creds, p);
  out.added_headers.emplace_back("Authorization", std::string(kAlgorithm) + " Credential=" + creds.access_key + "/" +
                                                      scope_of(p) + ", SignedHeaders=" + h.signed_names +
                                                      ", Signature=" + out.signature);
  return out;
}

Presigned presign(const Request& req, const Credentials& creds, const Params& p, std::int64_t expires_s) {
  const auto h = canonical_headers(req.headers);
  Pairs query = req.query;
  query.emplace_back("X-Amz-Algorithm", kAlgorithm);
  query.emplace_back("X-Amz-Credential", creds.access_key + "/" + scope_of(p));
  query.emplace_back("X-Amz-Date", amz_date(p.time_s));
  query.emplace_back("X-Amz-Expires", std::to_string(expires_s));
  if (!creds.session_token.empty() && p.sign_session_token)
    query.emplace_back("X-Amz-Security-Token", creds.session_token);
  query.emplace_back("X-Amz-SignedHeaders", h.signed_names);
  Presigned out;
  static_cast<Signature&>(out) = finish(build_canonical(req, query, h, p), creds, p);
  if (!creds.session_token.empty() && !p.sign_session_token)
    query.emplace_back("X-Amz-Security-Token", creds.session_token);
  query.emplace_back("X-Amz-Signature", out.signature);
  out.query = std::move(query);
  return out;
}

}  // namespace tseeder::net::sigv4
