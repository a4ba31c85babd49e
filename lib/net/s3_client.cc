#include "net/s3_client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>

#include "core/digest.h"
#include "core/error.h"
#include "core/redact.h"
#include "net/s3_xml.h"

namespace tseeder::net {

struct S3Client::Call {
  std::string method;
  std::string key;     // empty: the bucket itself
  sigv4::Pairs query;  // decoded
  sigv4::Pairs headers;
  std::string_view body;  // in memory, or:
  int fd = -1;            // a file range
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::string payload_sha256 = sigv4::hex_sha256("");
  std::string what;  // "PUT key" for messages
};

namespace {

constexpr std::uint64_t kMaxParts = 10000;

class Easy {
 public:
  Easy() : h_(curl_easy_init()) {
    if (!h_) throw Error(Errc::internal, "s3: cannot create a libcurl handle");
  }
  ~Easy() { curl_easy_cleanup(h_); }
  Easy(const Easy&) = delete;
  Easy& operator=(const Easy&) = delete;
  CURL* get() const { return h_; }

 private:
  CURL* h_;
};

struct Transfer {
  const S3Client::Call* call;
  S3Client::Reply* reply;
  std::stop_token stop;
  std::uint64_t sent = 0;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  if (t->reply->body.size() < S3Client::kMaxRangeRead) t->reply->body.append(data, len);
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(value.begin());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
    t->reply->headers[name] = value;
  }
  return size * n;
}

size_t on_read(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const auto& c = *t->call;
  const std::uint64_t total = c.fd >= 0 ? c.length : c.body.size();
  const auto want = static_cast<size_t>(std::min<std::uint64_t>(size * n, total - t->sent));
  if (want == 0) return 0;
  if (c.fd < 0) {
    std::memcpy(buf, c.body.data() + t->sent, want);
    t->sent += want;
    return want;
  }
  ssize_t got = ::pread(c.fd, buf, want, static_cast<off_t>(c.offset + t->sent));
  if (got <= 0) return CURL_READFUNC_ABORT;
  t->sent += static_cast<std::uint64_t>(got);
  return static_cast<size_t>(got);
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->stop.stop_requested() ? 1 : 0;
}

bool retryable(const S3Client::Reply& r) {
  return r.status == 0 || r.status >= 500 || r.status == 408 || r.status == 429;
}

// "s3: PUT a/b → 403 SignatureDoesNotMatch: The request signature … (request id …)"
std::string describe(const S3Client::Call& c, const S3Client::Reply& r) {
  std::string out = "s3: " + c.what + " → ";
  if (r.status == 0) return out + (r.transport_error.empty() ? "no reply" : r.transport_error);
  out += std::to_string(r.status);
  const std::string code = s3xml::value(r.body, "Code");
  const std::string message = s3xml::value(r.body, "Message");
  if (!code.empty()) out += " " + code;
  if (!message.empty()) out += ": " + message;
  return out;
}

std::string hint_for(const S3Client::Reply& r) {
  const std::string code = s3xml::value(r.body, "Code");
  if (code == "SignatureDoesNotMatch" || code == "InvalidAccessKeyId" || code == "AccessDenied" || r.status == 403)
    return "check storage.s3.access_key and storage.s3.secret_key (or TSEEDER_S3_ACCESS_KEY / TSEEDER_S3_SECRET_KEY)";
  if (code == "NoSuchBucket") return "create the bucket named in storage.s3.bucket";
  if (code == "AuthorizationHeaderMalformed" || code == "InvalidRegion") return "check storage.s3.region";
  return {};
}

void sleep_unless_stopped(std::int64_t ms, const std::stop_token& stop) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stop.stop_requested() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<std::int64_t>(ms, 50)));
}

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class FileFd {
 public:
  explicit FileFd(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw Error(Errc::io, "s3: cannot open " + path + " to upload");
  }
  ~FileFd() { ::close(fd_); }
  FileFd(const FileFd&) = delete;
  FileFd& operator=(const FileFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

S3Client::S3Client(S3Settings settings) : s_(std::move(settings)) {
  auto sep = s_.endpoint.find("://");
  if (sep == std::string::npos)
    throw Error(Errc::config, "storage.s3.endpoint '" + redact_url_credentials(s_.endpoint) + "' is not a URL");
  scheme_ = s_.endpoint.substr(0, sep);
  endpoint_host_ = s_.endpoint.substr(sep + 3);
  while (!endpoint_host_.empty() && endpoint_host_.back() == '/') endpoint_host_.pop_back();
  if (endpoint_host_.find('/') != std::string::npos)
    throw Error(Errc::config, "storage.s3.endpoint '" + redact_url_credentials(s_.endpoint) +
                                  "' must be scheme://host[:port] with no path");
  s_.concurrency = std::max(1, s_.concurrency);
  s_.max_attempts = std::max(1, s_.max_attempts);
  s_.part_size = std::max<std::uint64_t>(s_.part_size, 5ull << 20);  // S3's smallest part
}

std::string S3Client::host() const {
  return s_.path_style ? endpoint_host_ : s_.bucket + "." + endpoint_host_;
}

std::string S3Client::path_of(const std::string& key) const {
  std::string path = s_.path_style ? "/" + s_.bucket : "";
  if (!key.empty())
    path += "/" + key;
  else if (path.empty())
    path = "/";
  return path;
}

S3Client::Reply S3Client::perform(void* handle, const Call& c, std::stop_token stop) const {
  CURL* curl = static_cast<CURL*>(handle);
  curl_easy_reset(curl);
  sigv4::Request req;
  req.method = c.method;
  req.path = path_of(c.key);
  req.query = c.query;
  req.headers = c.headers;
  req.headers.emplace_back("Host", host());
  req.payload_sha256 = c.payload_sha256;
  sigv4::Params params;
  params.region = s_.region;
  params.service = "s3";
  params.time_s = now_s();
  params.normalize_path = false;
  params.sign_payload_header = true;
  auto signed_headers = sigv4::sign(req, s_.credentials, params);

  std::string url = scheme_ + "://" + host() + sigv4::canonical_path(req.path, false);
  if (!c.query.empty()) url += "?" + sigv4::canonical_query(c.query);
  curl_slist* list = nullptr;
  for (const auto& [name, value] : c.headers) list = curl_slist_append(list, (name + ": " + value).c_str());
  for (const auto& [name, value] : signed_headers.added_headers)
    list = curl_slist_append(list, (name + ": " + value).c_str());
  list = curl_slist_append(list, ("Host: " + host()).c_str());
  list = curl_slist_append(list, "Expect:");
  if (c.method == "POST" &&
      std::none_of(c.headers.begin(), c.headers.end(), [](const auto& h) { return h.first == "Content-Type"; }))
    list = curl_slist_append(list, "Content-Type: application/xml");

  Reply reply;
  Transfer t{&c, &reply, stop, 0};
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, s_.connect_timeout_s);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, s_.stall_timeout_s);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!s_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, s_.ca_file.c_str());
  const std::uint64_t body_len = c.fd >= 0 ? c.length : c.body.size();
  if (c.method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &t);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body_len));
  } else if (c.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &t);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_len));
  } else if (c.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (c.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, c.method.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    reply.status = 0;
    reply.transport_error = err[0] ? err : curl_easy_strerror(rc);
    return reply;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  // CompleteMultipartUpload can fail inside a 200 reply.
  if (reply.status == 200 && c.method == "POST" && reply.body.find("<Error>") != std::string::npos) reply.status = 500;
  return reply;
}

S3Client::Reply S3Client::run(void* curl, const Call& c, std::stop_token stop) const {
  static thread_local std::mt19937 rng{std::random_device{}()};
  for (int attempt = 1;; ++attempt) {
    if (stop.stop_requested()) throw Error(Errc::unavailable, "s3: " + c.what + " stopped");
    Reply r = perform(curl, c, stop);
    if (r.status >= 200 && r.status < 300) return r;
    if (stop.stop_requested()) throw Error(Errc::unavailable, "s3: " + c.what + " stopped");
    if (r.status == 404 && c.method == "GET" && !c.key.empty()) throw Error(Errc::not_found, describe(c, r));
    if (!retryable(r)) throw Error(Errc::config, describe(c, r), hint_for(r));
    if (attempt >= s_.max_attempts)
      throw Error(Errc::unavailable, describe(c, r) + " (after " + std::to_string(attempt) + " attempts)");
    // Exponential backoff with full jitter; S3's SlowDown (503) is handled the same way.
    const auto cap = std::min<std::int64_t>(s_.backoff_cap_ms, s_.backoff_base_ms << std::min(attempt - 1, 20));
    sleep_unless_stopped(std::uniform_int_distribution<std::int64_t>(cap / 2, cap)(rng), stop);
  }
}

std::uint64_t S3Client::upload_file(const std::string& key, const std::string& path, std::stop_token stop) const {
  FileFd fd(path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw Error(Errc::io, "s3: cannot stat " + path);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > s_.part_size) return upload_multipart(key, fd.get(), size, stop);
  Easy curl;
  Call c;
  c.method = "PUT";
  c.key = key;
  c.fd = fd.get();
  c.length = size;
  c.payload_sha256 = sha256_hex_of_file_range(fd.get(), 0, size);
  c.headers = {{"Content-Type", "application/octet-stream"}};
  c.what = "PUT " + key;
  run(curl.get(), c, stop);
  return size;
}

std::uint64_t S3Client::upload_multipart(const std::string& key, int fd, std::uint64_t size,
                                         std::stop_token stop) const {
  // Parts grow past part_size only when a file would need more than S3's 10,000 parts.
  const std::uint64_t part = std::max(s_.part_size, (size + kMaxParts - 1) / kMaxParts);
  const std::uint64_t parts = (size + part - 1) / part;
  Easy control;
  Call create;
  create.method = "POST";
  create.key = key;
  create.query = {{"uploads", ""}};
  create.headers = {{"Content-Type", "application/octet-stream"}};
  create.what = "CreateMultipartUpload " + key;
  const std::string upload_id = s3xml::value(run(control.get(), create, stop).body, "UploadId");
  if (upload_id.empty()) throw Error(Errc::unavailable, "s3: CreateMultipartUpload " + key + " gave no UploadId");

  std::vector<std::string> etags(parts);
  std::atomic<std::uint64_t> next{0};
  // One token halts every part: the caller's stop, or the first part that fails for good.
  std::stop_source halt;
  std::stop_callback forward(stop, [&] { halt.request_stop(); });
  std::mutex error_mu;
  std::optional<Error> first_error;
  auto worker = [&] {
    try {
      Easy curl;
      for (;;) {
        const auto i = next.fetch_add(1);
        if (i >= parts || halt.stop_requested()) return;
        Call c;
        c.method = "PUT";
        c.key = key;
        c.query = {{"partNumber", std::to_string(i + 1)}, {"uploadId", upload_id}};
        c.fd = fd;
        c.offset = i * part;
        c.length = std::min(part, size - c.offset);
        c.payload_sha256 = sha256_hex_of_file_range(fd, c.offset, c.length);
        c.what = "UploadPart " + std::to_string(i + 1) + "/" + std::to_string(parts) + " of " + key;
        auto r = run(curl.get(), c, halt.get_token());
        auto etag = r.headers.find("etag");
        if (etag == r.headers.end()) throw Error(Errc::unavailable, "s3: " + c.what + " gave no ETag");
        etags[i] = etag->second;
      }
    } catch (const Error& e) {
      std::lock_guard lock(error_mu);
      if (!first_error) first_error = e;
      halt.request_stop();
    }
  };
  {
    std::vector<std::jthread> threads;
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(parts, static_cast<std::uint64_t>(s_.concurrency)));
    for (std::size_t i = 0; i < n; ++i) threads.emplace_back(worker);
  }
  if (first_error || stop.stop_requested()) {
    // Incomplete uploads cost storage until aborted.
    Call abort;
    abort.method = "DELETE";
    abort.key = key;
    abort.query = {{"uploadId", upload_id}};
    abort.what = "AbortMultipartUpload " + key;
    try {
      run(control.get(), abort, {});
    } catch (const Error&) {
      // A bucket lifecycle rule for incomplete uploads catches what this misses.
    }
    if (first_error) throw *first_error;
    throw Error(Errc::unavailable, "s3: upload of " + key + " stopped");
  }
  std::string xml = "<CompleteMultipartUpload>";
  for (std::uint64_t i = 0; i < parts; ++i)
    xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + s3xml::escape(etags[i]) +
           "</ETag></Part>";
  xml += "</CompleteMultipartUpload>";
  Call complete;
  complete.method = "POST";
  complete.key = key;
  complete.query = {{"uploadId", upload_id}};
  complete.body = xml;
  complete.payload_sha256 = sigv4::hex_sha256(xml);
  complete.what = "CompleteMultipartUpload " + key;
  run(control.get(), complete, stop);
  return size;
}

void S3Client::put_bytes(const std::string& key, std::string_view data, const std::string& content_type) const {
  Easy curl;
  Call c;
  c.method = "PUT";
  c.key = key;
  c.body = data;
  c.payload_sha256 = sigv4::hex_sha256(data);
  c.headers = {{"Content-Type", content_type}};
  c.what = "PUT " + key;
  run(curl.get(), c, {});
}

std::vector<std::string> S3Client::list_keys(const std::string& prefix) const {
  Easy curl;
  std::vector<std::string> keys;
  std::string token;
  for (;;) {
    Call c;
    c.method = "GET";
    c.query = {{"list-type", "2"}, {"prefix", prefix}};
    if (!token.empty()) c.query.emplace_back("continuation-token", token);
    c.what = "ListObjectsV2 " + prefix;
    auto r = run(curl.get(), c, {});
    for (auto& k : s3xml::values(r.body, "Key")) keys.push_back(std::move(k));
    token = s3xml::value(r.body, "NextContinuationToken");
    if (s3xml::value(r.body, "IsTruncated") != "true" || token.empty()) return keys;
  }
}

void S3Client::remove_key(const std::string& key) const {
  Easy curl;
  remove_key_on(curl.get(), key);
}

void S3Client::remove_key_on(void* curl, const std::string& key) const {
  Call c;
  c.method = "DELETE";
  c.key = key;
  c.what = "DELETE " + key;
  run(curl, c, {});
}

void S3Client::remove_prefix(const std::string& prefix) const {
  Easy curl;  // one connection for every delete
  for (const auto& key : list_keys(prefix)) remove_key_on(curl.get(), key);
}

std::string S3Client::get_range(const std::string& key, std::uint64_t offset, std::size_t length,
                                std::stop_token stop) const {
  if (length == 0) return {};
  if (length > kMaxRangeRead) throw Error(Errc::internal, "s3: a range read is at most 4 MiB");
  Easy curl;
  Call c;
  c.method = "GET";
  c.key = key;
  c.headers = {{"Range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1)}};
  c.what = "GET " + key + " (bytes " + std::to_string(offset) + "+" + std::to_string(length) + ")";
  auto r = run(curl.get(), c, stop);
  // A server that ignores Range answers 200 with the whole object: only right from 0 to its end.
  if ((r.status != 206 && offset != 0) || r.body.size() != length)
    throw Error(Errc::unavailable, "s3: " + c.what + " → " + std::to_string(r.status) + " with " +
                                       std::to_string(r.body.size()) + " bytes");
  return std::move(r.body);
}

std::string S3Client::presigned_get(const std::string& key, std::int64_t expires_s,
                                    const std::string& content_disposition, std::int64_t now) const {
  sigv4::Request req;
  req.method = "GET";
  req.path = path_of(key);
  if (!content_disposition.empty()) req.query.emplace_back("response-content-disposition", content_disposition);
  req.headers = {{"Host", host()}};
  req.payload_sha256 = "UNSIGNED-PAYLOAD";  // S3 presigned URLs never sign a body
  sigv4::Params params;
  params.region = s_.region;
  params.service = "s3";
  params.time_s = now;
  params.normalize_path = false;
  auto p = sigv4::presign(req, s_.credentials, params, expires_s);
  return scheme_ + "://" + host() + sigv4::canonical_path(req.path, false) + "?" + sigv4::canonical_query(p.query);
}

void S3Client::check_bucket() const {
  Easy curl;
  // A one-key listing rather than HEAD: its error reply has a body naming S3's reason.
  Call c;
  c.method = "GET";
  c.query = {{"list-type", "2"}, {"max-keys", "1"}};
  c.what = "ListObjectsV2 of bucket " + s_.bucket;
  // One try: this only informs the operator and must not hold up start or shutdown.
  Reply r = perform(curl.get(), c, {});
  if (r.status < 200 || r.status >= 300)
    throw Error(retryable(r) ? Errc::unavailable : Errc::config, describe(c, r), hint_for(r));
}

}  // namespace tseeder::net
