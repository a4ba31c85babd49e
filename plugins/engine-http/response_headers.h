// The headers of one HTTP response that a download acts on, read line by line as libcurl hands
// them over; a new status line (a redirect's next response) starts afresh.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tseeder::engine_http {

struct ContentRange {
  std::uint64_t first = 0, last = 0, total = 0;  // "bytes first-last/total"; total 0 = "*"
};

struct ResponseHeaders {
  std::string disposition, etag, last_modified;
  std::uint64_t content_length = 0;
  bool accepts_ranges = false;  // Accept-Ranges: bytes
  bool transfer_coded = false;  // any Transfer-Encoding (chunked): the bytes on the wire are not the body
  std::optional<ContentRange> content_range;
  std::string repr_digest, digest;  // raw Repr-Digest (RFC 9530) and Digest (RFC 3230)

  void take(std::string_view line);
  // The strong ETag, else Last-Modified: what If-Range may carry. Weak ETags (W/) may not.
  std::string validator() const;
  // The server's digest of the whole file as "sha256:<hex>" (sha1, md5), strongest first,
  // Repr-Digest before Digest; empty when neither names one we can check.
  std::string file_digest() const;
};

// The value of header `name` (lower case) in `line`, trimmed; empty when the line is another header.
std::string header_value(std::string_view line, std::string_view name);

}  // namespace tseeder::engine_http
