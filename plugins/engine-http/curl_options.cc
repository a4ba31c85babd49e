#include "curl_options.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

#include "net/address_policy.h"

namespace tseeder::engine_http {
namespace {

// Every connection, the first and each redirect's, is checked on the address it is about to
// reach, so a name that resolves to an internal address is refused like the address itself.
curl_socket_t open_socket(void* ud, curlsocktype purpose, curl_sockaddr* a) {
  auto* guard = static_cast<Guard*>(ud);
  if (purpose == CURLSOCKTYPE_IPCXN && !guard->settings->allow_private_urls) {
    if (auto why = tseeder::net::restricted_address(&a->addr)) {
      guard->refused_address = tseeder::net::address_text(&a->addr) + " (" + *why + ")";
      return CURL_SOCKET_BAD;
    }
  }
  const curl_socket_t s = ::socket(a->family, a->socktype, a->protocol);
  if (s != CURL_SOCKET_BAD) guard->opened.push_back(s);
  return s;
}

in_port_t port_of(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
  return 0;
}

bool same_address(const sockaddr_storage& a, const char* ip, long port) {
  return ip && port_of(a) == port && tseeder::net::address_text(reinterpret_cast<const sockaddr*>(&a)) == ip;
}

bool retryable_http(long code) {
  return code >= 500 || code == 408 || code == 429;
}

bool retryable_curl(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

void apply_common_options(CURL* curl, const Settings& settings, Guard& guard, char* errbuf) {
  guard.settings = &settings;
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, settings.max_redirects);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, settings.connect_timeout_s);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, settings.stall_timeout_s);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "tseeder/" TSEEDER_ENGINE_VERSION);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &guard);
  // A proxy from the environment would fetch internal addresses for us, past the guard.
  if (!settings.allow_private_urls) curl_easy_setopt(curl, CURLOPT_PROXY, "");
  if (!settings.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, settings.ca_file.c_str());
}

curl_socket_t connection_socket(CURL* curl, const Guard& guard) {
  char *peer_ip = nullptr, *local_ip = nullptr;
  long peer_port = 0, local_port = 0;
  curl_easy_getinfo(curl, CURLINFO_PRIMARY_IP, &peer_ip);
  curl_easy_getinfo(curl, CURLINFO_PRIMARY_PORT, &peer_port);
  curl_easy_getinfo(curl, CURLINFO_LOCAL_IP, &local_ip);
  curl_easy_getinfo(curl, CURLINFO_LOCAL_PORT, &local_port);
  for (const curl_socket_t s : guard.opened) {
    sockaddr_storage peer{}, local{};
    socklen_t peer_len = sizeof peer, local_len = sizeof local;
    if (::getpeername(s, reinterpret_cast<sockaddr*>(&peer), &peer_len) == 0 &&
        ::getsockname(s, reinterpret_cast<sockaddr*>(&local), &local_len) == 0 &&
        same_address(peer, peer_ip, peer_port) && same_address(local, local_ip, local_port))
      return s;
  }
  return CURL_SOCKET_BAD;
}

bool direct_connection(const Settings& settings) {
  if (!settings.allow_private_urls) return true;
  for (const char* name : {"http_proxy", "all_proxy", "ALL_PROXY"})
    if (const char* v = std::getenv(name); v && *v) return false;
  return true;
}

Failure describe_failure(CURLcode rc, long http_code, const Guard& guard, const char* errbuf) {
  if (!guard.refused_address.empty())
    return {"refused to connect to " + guard.refused_address +
                ": URL jobs may not reach loopback, private, link-local or cloud-metadata addresses "
                "(the operator can allow them with allow_private_urls)",
            false};
  if (rc == CURLE_HTTP_RETURNED_ERROR)
    return {"HTTP " + std::to_string(http_code) + " from server", retryable_http(http_code)};
  return {std::string(curl_easy_strerror(rc)) + (errbuf && errbuf[0] ? std::string(": ") + errbuf : ""),
          retryable_curl(rc)};
}

}  // namespace tseeder::engine_http
