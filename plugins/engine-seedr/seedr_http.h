// The few HTTP requests engine-seedr makes to the service's API: one libcurl easy handle per
// call, bounded in time. Query strings carry the access token, so nothing here logs a URL.
#pragma once
#include <atomic>
#include <string>
#include <utility>
#include <vector>

namespace tseeder::engine_seedr {

struct HttpSettings {
  long connect_timeout_s = 30;
  long timeout_s = 60;                       // a whole API call
  std::string ca_file;                       // empty: the system's CA certificates
  const std::atomic<bool>* abort = nullptr;  // set: the request ends at once (a job stopping)
};

// A fetch on a user's behalf (a .torrent URL): no loopback, private, link-local or metadata
// address unless the operator allows them, and at most `max_bytes`.
struct UserFetch {
  bool allow_private = false;
  std::size_t max_bytes = 10u << 20;
};

struct HttpResponse {
  long status = 0;  // 0: no answer (connection error; see error)
  std::string body;
  std::string error;  // libcurl's reason when status is 0
};

using Form = std::vector<std::pair<std::string, std::string>>;

// A file part of a multipart form: field name, the file's name, its bytes.
struct FilePart {
  std::string field, file_name, bytes;
};

HttpResponse http_get(const HttpSettings& s, const std::string& url);
// GET for a user: error names a refused address or a body over the bound.
HttpResponse http_get_for_user(const HttpSettings& s, const UserFetch& f, const std::string& url);
// application/x-www-form-urlencoded
HttpResponse http_post(const HttpSettings& s, const std::string& url, const Form& form);
// multipart/form-data with one file
HttpResponse http_post_multipart(const HttpSettings& s, const std::string& url, const Form& form, const FilePart& file);

// Makes the libcurl easy handle `curl` end its transfer once *flag is set (no-op for null).
void abort_on(void* curl, const std::atomic<bool>* flag);

// `value` %-encoded for a query string or form.
std::string url_encode(const std::string& value);

}  // namespace tseeder::engine_seedr
