#include "content_disposition.h"

#include <gtest/gtest.h>

namespace tseeder::engine_http {
namespace {

TEST(ContentDisposition, Forms) {
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"a b.txt\""), "a b.txt");
  EXPECT_EQ(content_disposition_filename("attachment; filename=plain.bin"), "plain.bin");
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"q\\\"uote.txt\""), "q\"uote.txt");
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"x;y.txt\"; size=3"), "x;y.txt");
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"fallback.txt\"; filename*=UTF-8''%E2%82%AC.txt"),
            "\xE2\x82\xAC.txt");
  EXPECT_EQ(content_disposition_filename("ATTACHMENT; FILENAME=up.txt"), "up.txt");
  EXPECT_FALSE(content_disposition_filename("inline"));
  EXPECT_FALSE(content_disposition_filename(""));
}

TEST(UrlFileName, LastSegmentDecoded) {
  EXPECT_EQ(url_file_name("http://h/a/b%20c.iso?x=1#f"), "b c.iso");
  EXPECT_EQ(url_file_name("http://h/dir/"), "");
  EXPECT_EQ(url_file_name("http://h"), "");
  EXPECT_EQ(url_file_name("https://h/..%2F..%2Fetc"), "../../etc");  // decoded; sanitized later
}

}  // namespace
}  // namespace tseeder::engine_http
