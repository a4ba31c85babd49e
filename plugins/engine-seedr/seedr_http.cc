#include "seedr_http.h"

#include "net/address_policy.h"

#include <curl/curl.h>

#include <sys/socket.h>

#include <cctype>
#include <memory>

namespace tseeder::engine_seedr {
namespace {

constexpr std::size_t kMaxBody = 16u << 20;  // no API answer is this large; a bigger one is refused

struct Sink {
  std::string* out;
  std::size_t max;
  bool over = false;
};

size_t on_body(char* data, size_t size, size_t n, void* ud) {
  auto* s = static_cast<Sink*>(ud);
  if (s->out->size() + size * n > s->max) {
    s->over = true;
    return 0;
  }
  s->out->append(data, size * n);
  return size * n;
}

int on_progress(void* ud, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(ud)->load() ? 1 : 0;
}

struct Guard {
  bool allow_private;
  std::string refused;
};

curl_socket_t open_socket(void* ud, curlsocktype purpose, curl_sockaddr* a) {
  auto* g = static_cast<Guard*>(ud);
  if (purpose == CURLSOCKTYPE_IPCXN && !g->allow_private)
    if (auto why = net::restricted_address(&a->addr)) {
      g->refused = net::address_text(&a->addr) + " (" + *why + ")";
      return CURL_SOCKET_BAD;
    }
  return ::socket(a->family, a->socktype, a->protocol);
}

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

HttpResponse perform(const HttpSettings& s, const std::string& url, CURL* curl, std::size_t max_body = kMaxBody,
                     Guard* guard = nullptr) {
  HttpResponse r;
  Sink sink{&r.body, max_body};
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  // The service redirects to HTTPS only; a user's .torrent URL may move between http and https.
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, guard ? "http,https" : "https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, s.connect_timeout_s);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, s.timeout_s);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "tseeder/" TSEEDER_ENGINE_VERSION);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  if (guard) {
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, guard);
    // A proxy from the environment would fetch internal addresses for us, past the guard.
    if (!guard->allow_private) curl_easy_setopt(curl, CURLOPT_PROXY, "");
  }
  if (!s.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, s.ca_file.c_str());
  abort_on(curl, s.abort);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    if (sink.over)
      r.error = "the answer is larger than " + std::to_string(max_body) + " bytes";
    else if (guard && !guard->refused.empty())
      r.error = "refused to connect to " + guard->refused;
    else
      r.error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    return r;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

std::string form_text(const Form& form) {
  std::string out;
  for (const auto& [k, v] : form) out += (out.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
  return out;
}

}  // namespace

void abort_on(void* curl, const std::atomic<bool>* flag) {
  if (!flag) return;
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, flag);
}

std::string url_encode(const std::string& value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

HttpResponse http_get(const HttpSettings& s, const std::string& url) {
  Easy curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {0, {}, "libcurl could not start a request"};
  return perform(s, url, curl.get());
}

HttpResponse http_get_for_user(const HttpSettings& s, const UserFetch& f, const std::string& url) {
  Easy curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {0, {}, "libcurl could not start a request"};
  Guard guard{f.allow_private, {}};
  return perform(s, url, curl.get(), f.max_bytes, &guard);
}

HttpResponse http_post(const HttpSettings& s, const std::string& url, const Form& form) {
  Easy curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {0, {}, "libcurl could not start a request"};
  const std::string body = form_text(form);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  return perform(s, url, curl.get());
}

HttpResponse http_post_multipart(const HttpSettings& s, const std::string& url, const Form& form,
                                 const FilePart& file) {
  Easy curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {0, {}, "libcurl could not start a request"};
  std::unique_ptr<curl_mime, decltype(&curl_mime_free)> mime(curl_mime_init(curl.get()), curl_mime_free);
  for (const auto& [k, v] : form) {
    auto* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, k.c_str());
    curl_mime_data(part, v.data(), v.size());
  }
  auto* part = curl_mime_addpart(mime.get());
  curl_mime_name(part, file.field.c_str());
  curl_mime_filename(part, file.file_name.c_str());
  curl_mime_type(part, "application/x-bittorrent");
  curl_mime_data(part, file.bytes.data(), file.bytes.size());
  curl_easy_setopt(curl.get(), CURLOPT_MIMEPOST, mime.get());
  return perform(s, url, curl.get());
}

}  // namespace tseeder::engine_seedr
