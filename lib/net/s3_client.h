// An S3 client on libcurl and our own SigV4 signer: single PUTs, multipart uploads with parts
// sent in parallel and retried with backoff, listing, deletion and presigned GETs. Works with
// AWS S3, R2, Swift s3api, MinIO and Ceph (path-style or virtual-host addressing).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "net/sigv4.h"

namespace tseeder::net {

struct S3Settings {
  std::string endpoint;  // scheme://host[:port], e.g. https://s3.eu-west-1.amazonaws.com
  std::string region = "us-east-1";
  std::string bucket;
  sigv4::Credentials credentials;
  bool path_style = true;  // false: https://BUCKET.host/key (virtual-host style)
  std::uint64_t part_size = 16ull << 20;
  int concurrency = 4;   // parts in flight per upload
  int max_attempts = 5;  // per request, for network errors, 5xx, 408 and 429
  std::int64_t backoff_base_ms = 250;
  std::int64_t backoff_cap_ms = 8000;
  std::string ca_file;  // empty: the system's CAs
  long connect_timeout_s = 10;
  long stall_timeout_s = 60;  // a request moving no bytes this long fails (and is retried)
};

class S3Client {
 public:
  explicit S3Client(S3Settings settings);

  // Uploads a local file: one PUT up to part_size, multipart above. Returns its size. Throws
  // Error: Errc::unavailable when S3 could not be reached or kept failing (worth retrying
  // later), Errc::config when S3 refused (keys, bucket, region: names S3's code, e.g.
  // SignatureDoesNotMatch). Stopping aborts the multipart upload.
  std::uint64_t upload_file(const std::string& key, const std::string& path, std::stop_token stop) const;
  void put_bytes(const std::string& key, std::string_view data, const std::string& content_type) const;
  std::vector<std::string> list_keys(const std::string& prefix) const;
  void remove_key(const std::string& key) const;
  void remove_prefix(const std::string& prefix) const;
  // Bytes [offset, offset + length) of an object; length at most kMaxRangeRead. Retried like
  // every call; throws Error(Errc::not_found) when the object is missing.
  static constexpr std::size_t kMaxRangeRead = 4u << 20;
  std::string get_range(const std::string& key, std::uint64_t offset, std::size_t length, std::stop_token stop) const;
  // A GET URL anyone can use until it expires; `content_disposition` is returned by S3 as the
  // response's Content-Disposition (response-content-disposition).
  std::string presigned_get(const std::string& key, std::int64_t expires_s, const std::string& content_disposition,
                            std::int64_t now_s) const;
  // Lists one key of the bucket, one try: throws with S3's reason when it is missing or the keys
  // are refused.
  void check_bucket() const;

  const S3Settings& settings() const { return s_; }

  struct Reply {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string transport_error;                 // curl's reason when no HTTP reply came
  };
  struct Call;

 private:
  Reply perform(void* curl, const Call& call, std::stop_token stop) const;
  // With retries; throws Error when it finally fails. `what` names it in errors.
  Reply run(void* curl, const Call& call, std::stop_token stop) const;
  void remove_key_on(void* curl, const std::string& key) const;
  std::string host() const;
  std::string path_of(const std::string& key) const;
  std::uint64_t upload_multipart(const std::string& key, int fd, std::uint64_t size, std::stop_token stop) const;

  S3Settings s_;
  std::string scheme_;
  std::string endpoint_host_;  // host[:port] as in the endpoint
};

}  // namespace tseeder::net
