#include "sidecar.h"

#include <curl/curl.h>

#include <sstream>

#include "core/digest.h"
#include "curl_options.h"
#include "text.h"

namespace tseeder::engine_http {
namespace {

constexpr std::size_t kMostBytes = 64 * 1024;

// The last path segment: lines may name "./dir/file.iso".
std::string base_name(std::string s) {
  const auto slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

struct Body {
  std::string text;
  const std::atomic<bool>* abort = nullptr;
};

size_t on_body(char* data, size_t size, size_t n, void* ud) {
  auto& b = *static_cast<Body*>(ud);
  if (b.abort->load() || b.text.size() + size * n > kMostBytes) return 0;
  b.text.append(data, size * n);
  return size * n;
}

}  // namespace

std::string sidecar_url(const std::string& url) {
  const auto end = url.find_first_of("?#");
  const std::string path = url.substr(0, end);
  const auto scheme = path.find("://");
  const auto slash = path.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos || path.back() == '/') return {};
  return path + ".sha256" + (end == std::string::npos ? "" : url.substr(end));
}

std::optional<std::string> parse_sidecar(const std::string& text, const std::vector<std::string>& names) {
  std::istringstream in(text);
  std::string line, only;
  int lines = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    ++lines;
    std::string hex, name;
    if (line.rfind("SHA256 (", 0) == 0) {  // BSD: SHA256 (name) = hex
      const auto close = line.rfind(") = ");
      if (close == std::string::npos) continue;
      name = line.substr(8, close - 8);
      hex = line.substr(close + 4);
    } else {  // GNU: hex, two spaces or " *", name; or a bare hex
      const auto space = line.find(' ');
      hex = line.substr(0, space);
      if (space != std::string::npos) {
        name = line.substr(line.find_first_not_of(' ', space));
        if (!name.empty() && name.front() == '*') name.erase(0, 1);
      }
    }
    hex = ascii_lower(hex);
    if (!is_lower_hex(hex, 64)) continue;
    if (name.empty()) only = hex;
    for (const auto& want : names)
      if (!want.empty() && base_name(name) == want) return "sha256:" + hex;
  }
  if (lines == 1 && !only.empty()) return "sha256:" + only;
  return std::nullopt;
}

std::optional<std::string> fetch_sidecar_digest(const std::string& url, const std::vector<std::string>& names,
                                                const Settings& settings, const std::atomic<bool>& abort) {
  const std::string where = sidecar_url(url);
  if (where.empty()) return std::nullopt;
  CURL* curl = curl_easy_init();
  if (!curl) return std::nullopt;
  Guard guard;
  char errbuf[CURL_ERROR_SIZE] = {0};
  Body body;
  body.abort = &abort;
  apply_common_options(curl, settings, guard, errbuf);
  curl_easy_setopt(curl, CURLOPT_URL, where.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, settings.connect_timeout_s + 30L);
  const CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK || code != 200) return std::nullopt;
  return parse_sidecar(body.text, names);
}

}  // namespace tseeder::engine_http
