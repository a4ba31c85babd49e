#include "http/multipart.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace tseeder::daemon {
namespace {

TEST(Multipart, FindsTheBoundaryOfFormData) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=x; boundary=\"a b\""), "a b");
  EXPECT_FALSE(multipart_boundary("application/json"));
  EXPECT_THROW(multipart_boundary("multipart/form-data"), Error);
  EXPECT_THROW(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')), Error);
}

TEST(Multipart, SplitsFieldsAndFiles) {
  const std::string body =
      "--B\r\nContent-Disposition: form-data; name=\"torrent\"; filename=\"a;b.torrent\"\r\n"
      "Content-Type: application/x-bittorrent\r\n\r\nd4:info\r\n--Be\r\n"
      "--B\r\ncontent-disposition: form-data; name=files\r\n\r\n0,3-5\r\n--B--\r\n";
  auto parts = parse_multipart(body, "B");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "torrent");
  EXPECT_EQ(parts[0].filename, "a;b.torrent");
  EXPECT_EQ(parts[0].data, "d4:info\r\n--Be");  // a boundary-like line inside data is data
  EXPECT_EQ(parts[1].name, "files");
  EXPECT_FALSE(parts[1].filename);
  EXPECT_EQ(parts[1].data, "0,3-5");
}

TEST(Multipart, RefusesMalformedBodies) {
  for (const std::string bad :
       {"", "junk", "--B", "--B\r\n", "--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end",
        "--B\r\nX-Other: 1\r\n\r\nv\r\n--B--", "--B\r\nContent-Disposition: attachment; name=x\r\n\r\nv\r\n--B--",
        "--B\r\nContent-Disposition: form-data; name=\"x\r\n\r\nv\r\n--B--"})
    EXPECT_THROW(parse_multipart(bad, "B"), Error) << bad;
  std::string many;
  for (int i = 0; i < 17; ++i) many += "--B\r\nContent-Disposition: form-data; name=f\r\n\r\nv\r\n";
  EXPECT_THROW(parse_multipart(many + "--B--", "B"), Error);
}

}  // namespace
}  // namespace tseeder::daemon
