// The signer against the AWS SigV4 test vectors of aws-c-auth (tests/data/sigv4, Apache-2.0):
// header signing and presigned (query) signing, normalized and S3-style unnormalized paths.
#include "net/sigv4.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json_util.h"

namespace tseeder::net::sigv4 {
namespace {

namespace fs = std::filesystem;

const fs::path kVectors = fs::path(TSEEDER_TEST_DATA_DIR) / "sigv4" / "aws-c-auth-v4";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

struct Vector {
  std::string name;
  Request req;
  std::string body;
  Credentials creds;
  Params params;
  std::int64_t expires = 0;
};

// request.txt: "METHOD TARGET HTTP/1.1", header lines (indented lines continue the last one),
// a blank line, the body.
Vector load(const fs::path& dir) {
  Vector v;
  v.name = dir.filename().string();
  std::istringstream in(slurp(dir / "request.txt"));
  std::string line;
  std::getline(in, line);
  auto sp1 = line.find(' ');
  auto sp2 = line.rfind(' ');
  v.req.method = line.substr(0, sp1);
  std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  auto q = target.find('?');
  v.req.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string_view rest = std::string_view(target).substr(q + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      auto part = rest.substr(0, amp);
      auto eq = part.find('=');
      v.req.query.emplace_back(percent_decode(part.substr(0, eq)),
                               eq == std::string_view::npos ? "" : percent_decode(part.substr(eq + 1)));
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
  }
  while (std::getline(in, line) && !line.empty()) {
    if ((line[0] == ' ' || line[0] == '\t') && !v.req.headers.empty()) {
      v.req.headers.back().second += " " + line;
      continue;
    }
    auto colon = line.find(':');
    v.req.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  std::stringstream body;
  body << in.rdbuf();
  v.body = body.str();

  auto ctx = Json::parse(slurp(dir / "context.json"));
  v.creds.access_key = ctx["credentials"]["access_key_id"];
  v.creds.secret_key = ctx["credentials"]["secret_access_key"];
  v.creds.session_token = ctx["credentials"].value("token", "");
  v.params.region = ctx["region"];
  v.params.service = ctx["service"];
  v.params.normalize_path = ctx["normalize"];
  v.params.sign_payload_header = ctx["sign_body"];
  v.params.sign_session_token = !ctx.value("omit_session_token", false);
  std::tm tm{};
  strptime(ctx["timestamp"].get<std::string>().c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  v.params.time_s = timegm(&tm);
  v.expires = ctx["expiration_in_seconds"];
  v.req.payload_sha256 = hex_sha256(v.body);
  return v;
}

std::vector<fs::path> vector_dirs() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kVectors))
    if (e.is_directory()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SigV4, AllVectorsAreThere) {
  EXPECT_EQ(vector_dirs().size(), 38u);
  EXPECT_TRUE(fs::exists(kVectors / "LICENSE"));
  EXPECT_TRUE(fs::exists(kVectors / "NOTICE"));
}

TEST(SigV4, HeaderSigningMatchesEveryVector) {
  for (const auto& dir : vector_dirs()) {
    auto v = load(dir);
    SCOPED_TRACE(v.name);
    auto s = sign(v.req, v.creds, v.params);
    EXPECT_EQ(s.canonical_request, slurp(dir / "header-canonical-request.txt"));
    EXPECT_EQ(s.string_to_sign, slurp(dir / "header-string-to-sign.txt"));
    EXPECT_EQ(s.signature, slurp(dir / "header-signature.txt"));
    std::string authorization;
    for (const auto& [k, val] : s.added_headers)
      if (k == "Authorization") authorization = k + ":" + val;
    EXPECT_NE(slurp(dir / "header-signed-request.txt").find(authorization + "\n"), std::string::npos);
  }
}

TEST(SigV4, PresignedQueriesMatchEveryVector) {
  for (const auto& dir : vector_dirs()) {
    auto v = load(dir);
    SCOPED_TRACE(v.name);
    auto s = presign(v.req, v.creds, v.params, v.expires);
    EXPECT_EQ(s.canonical_request, slurp(dir / "query-canonical-request.txt"));
    EXPECT_EQ(s.string_to_sign, slurp(dir / "query-string-to-sign.txt"));
    EXPECT_EQ(s.signature, slurp(dir / "query-signature.txt"));
    EXPECT_EQ(s.query.back(), (std::pair<std::string, std::string>{"X-Amz-Signature", s.signature}));
    EXPECT_NE(slurp(dir / "query-signed-request.txt").find("X-Amz-Signature=" + s.signature), std::string::npos);
  }
}

TEST(SigV4, S3KeysAreSignedAsNamedNotNormalized) {
  EXPECT_EQ(canonical_path("/bucket/a/../b//c d", false), "/bucket/a/../b//c%20d");
  EXPECT_EQ(canonical_path("/bucket/a/../b//c d", true), "/bucket/b/c%20d");
  EXPECT_EQ(canonical_path("/b/\xE1\x88\xB4+%", false), "/b/%E1%88%B4%2B%25");
  EXPECT_EQ(canonical_query({{"b", "2"}, {"a", "x/y z"}, {"a", "1"}}), "a=1&a=x%2Fy%20z&b=2");
}

}  // namespace
}  // namespace tseeder::net::sigv4
