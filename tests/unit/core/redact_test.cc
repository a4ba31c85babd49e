#include "core/redact.h"

#include <gtest/gtest.h>

namespace tseeder {
namespace {

TEST(Redact, UserinfoAndCredentialParametersGo) {
  EXPECT_EQ(redact_url_credentials("smtp://mailer:hunter2@mail.example:587"), "smtp://<redacted>@mail.example:587");
  EXPECT_EQ(redact_url_credentials("https://TOKEN@s3.example/bucket"), "https://<redacted>@s3.example/bucket");
  EXPECT_EQ(redact_url_credentials("https://h/p?a=1&access_token=xyz&X-Amz-Signature=abc#frag"),
            "https://h/p?a=1&access_token=<redacted>&X-Amz-Signature=<redacted>#frag");
  EXPECT_EQ(redact_url_credentials("\"socks5://u:p@proxy:1080\" and http://ok.example/x"),
            "\"socks5://<redacted>@proxy:1080\" and http://ok.example/x");
}

TEST(Redact, TextWithoutCredentialsStays) {
  for (const char* s : {"", "no url here", "http://127.0.0.1:8420", "https://a.example/p?q=1&page=2", "a://"})
    EXPECT_EQ(redact_url_credentials(s), s);
}

}  // namespace
}  // namespace tseeder
