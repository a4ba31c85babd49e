#include "storage/download_links.h"

#include <charconv>

#include "core/base64.h"
#include "core/digest.h"
#include "core/secrets.h"

namespace tseeder::storage {

namespace {

std::optional<std::int64_t> number(std::string_view s) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || s.size() > 18 || ec != std::errc() || end != s.data() + s.size() || n <= 0) return std::nullopt;
  return n;
}

std::string base64url(std::string_view raw) {
  std::string b = encode_base64(raw);
  for (char& c : b) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!b.empty() && b.back() == '=') b.pop_back();
  return b;
}

}  // namespace

std::string DownloadLinks::sign(const JobId& job, std::int64_t file_id, const UserId& owner,
                                std::int64_t expires_s) const {
  const std::string msg = "tseeder-download-v1\n" + job.value + "\n" + std::to_string(file_id) + "\n" + owner.value +
                          "\n" + std::to_string(expires_s);
  return base64url(hmac_sha256(secret_, msg));
}

std::string DownloadLinks::issue(const JobId& job, std::int64_t file_id, const UserId& owner,
                                 std::int64_t expires_s) const {
  return job.value + "." + std::to_string(file_id) + "." + std::to_string(expires_s) + "." +
         sign(job, file_id, owner, expires_s);
}

std::optional<LinkClaim> DownloadLinks::parse(const std::string& token) {
  // JOBID.FILEID.EXPIRES.SIGNATURE
  std::string_view rest = token;
  std::string_view parts[4];
  for (int i = 0; i < 4; ++i) {
    auto dot = i < 3 ? rest.find('.') : std::string_view::npos;
    if (i < 3 && dot == std::string_view::npos) return std::nullopt;
    parts[i] = rest.substr(0, dot);
    rest = i < 3 ? rest.substr(dot + 1) : std::string_view();
  }
  if (!looks_like_id(parts[0]) || parts[3].size() != 43) return std::nullopt;
  auto file = number(parts[1]);
  auto expires = number(parts[2]);
  if (!file || !expires) return std::nullopt;
  return LinkClaim{JobId{std::string(parts[0])}, *file, *expires, std::string(parts[3])};
}

bool DownloadLinks::valid(const LinkClaim& c, const UserId& owner) const {
  return equal_constant_time(sign(c.job, c.file_id, owner, c.expires_s), c.signature);
}

}  // namespace tseeder::storage
