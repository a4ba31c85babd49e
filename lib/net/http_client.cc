#include "net/http_client.h"

#include <curl/curl.h>

#include <cctype>

#include "core/error.h"

namespace tseeder::net {
namespace {

struct Transfer {
  HttpResponse res;
  const std::function<bool(std::string_view)>* on_data = nullptr;
};

size_t on_body(char* data, size_t size, size_t n, void* ud) {
  auto* t = static_cast<Transfer*>(ud);
  std::string_view chunk(data, size * n);
  // Success bodies of streams go to the callback; everything else is kept for the caller.
  if (t->on_data && *t->on_data && t->res.status < 400) return (*t->on_data)(chunk) ? chunk.size() : 0;
  t->res.body.append(chunk);
  return chunk.size();
}

size_t on_header(char* data, size_t size, size_t n, void* ud) {
  auto& res = static_cast<Transfer*>(ud)->res;
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    res.headers.clear();
    auto sp = line.find(' ');
    if (sp != std::string_view::npos)
      res.status = std::strtol(std::string(line.substr(sp + 1, 3)).c_str(), nullptr, 10);
    return line.size();
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return line.size();
  std::string name(line.substr(0, colon));
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
  res.headers[name] = std::string(value);
  return line.size();
}

}  // namespace

HttpClient::HttpClient(Endpoint ep) : ep_(std::move(ep)), curl_(curl_easy_init()) {
  if (!curl_) throw Error(Errc::internal, "libcurl could not start");
}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

std::string HttpClient::describe() const {
  const std::string where = ep_.unix_socket.empty() ? ep_.base_url : "unix:" + ep_.unix_socket;
  return ep_.found_via.empty() ? where : where + " (from " + ep_.found_via + ")";
}

HttpResponse HttpClient::request(std::string_view method, const std::string& path, const std::string& body,
                                 const std::vector<std::string>& headers) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  std::string m(method);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m.c_str());
  if (m == "GET") curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  if (!body.empty() || m == "POST" || m == "PATCH" || m == "PUT") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  std::vector<std::string> all = headers;
  if (!body.empty()) all.push_back("Content-Type: application/json");
  return stream_impl(path, all, nullptr, ep_.timeout_s);
}

HttpResponse HttpClient::stream(const std::string& path, const std::vector<std::string>& headers,
                                const std::function<bool(std::string_view)>& on_data, long timeout_s) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  return stream_impl(path, headers, &on_data, timeout_s);
}

HttpResponse HttpClient::stream_impl(const std::string& path, const std::vector<std::string>& headers,
                                     const std::function<bool(std::string_view)>* on_data, long timeout_s) {
  CURL* c = static_cast<CURL*>(curl_);
  Transfer t;
  t.on_data = on_data;
  std::string url = ep_.base_url + path;
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  if (!ep_.api_key.empty()) list = curl_slist_append(list, ("Authorization: Bearer " + ep_.api_key).c_str());
  list = curl_slist_append(list, "Expect:");
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  if (!ep_.unix_socket.empty()) curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, ep_.unix_socket.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "tseeder/" TSEEDER_VERSION);
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(list);
  if (rc == CURLE_WRITE_ERROR && on_data) return t.res;  // the callback asked to stop
  if (rc != CURLE_OK) {
    // With a Unix socket curl's buffer speaks of "localhost port 80", which misleads.
    std::string why = errbuf[0] && ep_.unix_socket.empty() ? errbuf : curl_easy_strerror(rc);
    if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_OPERATION_TIMEDOUT ||
        rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR)
      throw Error(Errc::unavailable, "cannot reach tseederd at " + describe() + ": " + why,
                  "is tseederd running? start it with `make run`, or point --socket/--url at it");
    throw Error(Errc::internal, "request for " + path + " to " + describe() + " failed: " + why);
  }
  return t.res;
}

}  // namespace tseeder::net
