// Outbound HTTP through libcurl, over TCP or a Unix socket. Used by the CLI to reach tseederd.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tseeder::net {

struct Endpoint {
  std::string base_url = "http://localhost";  // scheme://host[:port], no trailing slash
  std::string unix_socket;                    // when set, connect here instead of base_url's host
  std::string api_key;                        // sent as Authorization: Bearer
  long timeout_s = 30;                        // whole request; 0 = none (streams)
  std::string found_via;                      // where the address came from, for messages
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
};

class HttpClient {
 public:
  explicit HttpClient(Endpoint ep);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Throws Error(Errc::unavailable) when the daemon cannot be reached.
  HttpResponse request(std::string_view method, const std::string& path, const std::string& body = {},
                       const std::vector<std::string>& headers = {});
  // Hands the body to `on_data` as it arrives; returning false stops the transfer. `body` is
  // left empty unless the status is an error (then it holds the error body).
  HttpResponse stream(const std::string& path, const std::vector<std::string>& headers,
                      const std::function<bool(std::string_view)>& on_data, long timeout_s = 0);

  const Endpoint& endpoint() const { return ep_; }
  std::string describe() const;  // "unix:/path" or the URL, for messages

 private:
  HttpResponse stream_impl(const std::string& path, const std::vector<std::string>& headers,
                           const std::function<bool(std::string_view)>* on_data, long timeout_s);
  Endpoint ep_;
  void* curl_;  // CURL*, reused across requests for keep-alive
};

}  // namespace tseeder::net
