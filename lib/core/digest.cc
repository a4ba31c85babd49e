#include "core/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <vector>

#include "core/error.h"

namespace tseeder {

bool is_lower_hex(std::string_view text, std::size_t length) {
  if (text.size() != length) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string to_hex(const unsigned char* p, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

std::string sha256(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw Error(Errc::internal, "SHA-256 failed");
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string sha256_hex(std::string_view data) {
  const auto md = sha256(data);
  return to_hex(reinterpret_cast<const unsigned char*>(md.data()), md.size());
}

std::string sha256_hex_of_file_range(int fd, std::uint64_t offset, std::uint64_t length) {
  return file_range_digest_hex("sha256", fd, offset, length);
}

std::string file_range_digest_hex(const std::string& algorithm, int fd, std::uint64_t offset, std::uint64_t length) {
  const EVP_MD* md_type = algorithm == "sha256" ? EVP_sha256()
                          : algorithm == "sha1" ? EVP_sha1()
                          : algorithm == "md5"  ? EVP_md5()
                                                : nullptr;
  if (!md_type) throw Error(Errc::invalid_argument, "no digest called '" + algorithm + "'");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md_type, nullptr) != 1) throw Error(Errc::internal, algorithm + " failed");
  std::vector<char> buf(1 << 20);
  while (length > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(length, buf.size()));
    const ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(Errc::io, n == 0 ? "file ended early while hashing" : "cannot read file to hash");
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
    length -= static_cast<std::uint64_t>(n);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), md, &len) != 1) throw Error(Errc::internal, algorithm + " failed");
  return to_hex(md, len);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), md, &len))
    throw Error(Errc::internal, "HMAC-SHA256 failed");
  return std::string(reinterpret_cast<char*>(md), len);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  const std::string mac = hmac_sha256(key, data);
  return to_hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

}  // namespace tseeder
