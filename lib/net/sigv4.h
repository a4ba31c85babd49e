// AWS Signature Version 4 on OpenSSL: signed headers (Authorization) and presigned URLs.
// Paths and query values go in decoded; the signer encodes them, and the caller sends exactly
// what canonical_path() and canonical_query() produce.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tseeder::net::sigv4 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // temporary credentials only
};

struct Request {
  std::string method;
  std::string path;  // decoded, e.g. "/bucket/dir/a b.txt"
  Pairs query;       // decoded names and values
  Pairs headers;     // as sent; must include Host
  std::string payload_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
};

struct Params {
  std::string region;
  std::string service;
  std::int64_t time_s = 0;           // signing time, Unix seconds
  bool normalize_path = true;        // false for S3: keys are signed exactly as named
  bool sign_payload_header = false;  // add x-amz-content-sha256 (S3 wants it on every request)
  bool sign_session_token = true;    // false: the token header is added after signing (STS)
};

struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
};

struct SignedHeaders : Signature {
  Pairs added_headers;  // x-amz-date, x-amz-content-sha256, x-amz-security-token, Authorization
};

struct Presigned : Signature {
  Pairs query;  // the request's query plus X-Amz-*; X-Amz-Signature last
};

SignedHeaders sign(const Request& req, const Credentials& creds, const Params& params);
Presigned presign(const Request& req, const Credentials& creds, const Params& params, std::int64_t expires_s);

// RFC 3986 encoding as SigV4 wants it: unreserved characters stay, '/' stays when asked,
// everything else is %XX in upper case.
std::string uri_encode(std::string_view s, bool keep_slash);
std::string canonical_path(std::string_view decoded_path, bool normalize);
std::string canonical_query(const Pairs& query);
std::string hex_sha256(std::string_view data);
std::string amz_date(std::int64_t time_s);  // 20150830T123600Z

}  // namespace tseeder::net::sigv4
