#include "response_headers.h"

#include <gtest/gtest.h>

namespace tseeder::engine_http {
namespace {

constexpr const char* kSha256 = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

ResponseHeaders read(std::initializer_list<const char*> lines) {
  ResponseHeaders h;
  for (const char* l : lines) h.take(l);
  return h;
}

TEST(ResponseHeaders, RangesAndValidators) {
  auto h = read({"HTTP/1.1 206 Partial Content\r\n", "Accept-Ranges: bytes\r\n", "Content-Range: bytes 10-19/100\r\n",
                 "ETag: \"abc\"\r\n", "Last-Modified: Mon, 07 Dec 2026 10:00:00 GMT\r\n", "Content-Length: 10\r\n"});
  EXPECT_TRUE(h.accepts_ranges);
  ASSERT_TRUE(h.content_range);
  EXPECT_EQ(h.content_range->first, 10u);
  EXPECT_EQ(h.content_range->last, 19u);
  EXPECT_EQ(h.content_range->total, 100u);
  EXPECT_EQ(h.content_length, 10u);
  EXPECT_EQ(h.validator(), "\"abc\"");
  // Weak ETags may not be used for If-Range.
  EXPECT_EQ(read({"ETag: W/\"abc\"", "Last-Modified: x"}).validator(), "x");
  EXPECT_FALSE(read({"Accept-Ranges: none"}).accepts_ranges);
  EXPECT_EQ(read({"Content-Range: bytes 0-9/*"}).content_range->total, 0u);
  for (const char* bad : {"Content-Range: bytes 9-0/100", "Content-Range: bytes 0-99/100x",
                          "Content-Range: bytes */100", "Content-Range: bytes 0-100/100", "Content-Range: items 0-1/2",
                          "Content-Range: bytes 0-99999999999999999999/1"})
    EXPECT_FALSE(read({bad}).content_range) << bad;
  // A redirect's headers do not leak into the next response.
  EXPECT_FALSE(read({"HTTP/1.1 302 Found", "ETag: \"old\"", "HTTP/1.1 200 OK"}).content_range);
  EXPECT_EQ(read({"HTTP/1.1 302 Found", "ETag: \"old\"", "HTTP/1.1 200 OK"}).validator(), "");
}

TEST(ResponseHeaders, DigestsStrongestFirst) {
  EXPECT_EQ(read({"Repr-Digest: sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:"}).file_digest(), kSha256);
  EXPECT_EQ(read({"Repr-Digest: sha-512=:AAAA:, sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:"}).file_digest(),
            kSha256);
  EXPECT_EQ(read({"Digest: MD5=XUFAKrxLKna5cZ2REBfFkg==, SHA-256=LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="})
                .file_digest(),
            kSha256);
  EXPECT_EQ(read({"Digest: SHA=qvTGHdzF6KLavt4PO0gs2a6pQ00="}).file_digest(),
            "sha1:aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
  EXPECT_EQ(read({"digest: md5=XUFAKrxLKna5cZ2REBfFkg=="}).file_digest(), "md5:5d41402abc4b2a76b9719d911017c592");
  // Repr-Digest wins over Digest.
  EXPECT_EQ(read({"Digest: MD5=XUFAKrxLKna5cZ2REBfFkg==",
                  "Repr-Digest: sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:"})
                .file_digest(),
            kSha256);
  // Nothing usable: unknown algorithms, wrong lengths, bad base64, a byte sequence without colons.
  for (const char* none : {"Repr-Digest: sha-512=:AAAA:", "Repr-Digest: sha-256=:AAAA:", "Digest: SHA-256=!!!",
                           "Repr-Digest: sha-256=LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=", "Digest: UNIXsum=30637",
                           "Content-Digest: sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:"})
    EXPECT_EQ(read({none}).file_digest(), "") << none;
}

TEST(ResponseHeaders, HeaderValue) {
  EXPECT_EQ(header_value("ETag:  \"x\" \r\n", "etag"), "\"x\"");
  EXPECT_EQ(header_value("ETagged: x", "etag"), "");
  EXPECT_EQ(header_value("etag:", "etag"), "");
}

}  // namespace
}  // namespace tseeder::engine_http
