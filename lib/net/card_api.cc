#include "net/card_api.h"

#include <curl/curl.h>

#include <memory>

#include "core/error.h"
#include "core/percent_encoding.h"

namespace tseeder::net {
namespace {

constexpr std::size_t kMostAnswer = 4u << 20;

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * n > kMostAnswer) return 0;
  body->append(data, size * n);
  return size * n;
}

}  // namespace

Json CardApi::post_form(const std::string& path, const FormFields& fields) const {
  std::string form;
  for (const auto& [k, v] : fields)
    form += (form.empty() ? "" : "&") + percent_encode(k, "[]") + "=" + percent_encode(v);
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw Error(Errc::internal, "libcurl could not start");
  std::string url = s_.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += path;
  const std::string auth = "Authorization: Bearer " + s_.secret_key;
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(
      curl_slist_append(curl_slist_append(nullptr, auth.c_str()), "Content-Type: application/x-www-form-urlencoded"),
      curl_slist_free_all);
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, form.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, s_.timeout_s);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK)
    throw Error(Errc::unavailable, std::string("the card processor could not be reached: ") + curl_easy_strerror(rc),
                "try again in a moment");
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  Json j = Json::parse(body, nullptr, false);
  if (status < 200 || status >= 300 || !j.is_object()) {
    std::string why = "HTTP " + std::to_string(status);
    if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("message") &&
        j["error"]["message"].is_string())
      why += ": " + j["error"]["message"].get<std::string>().substr(0, 300);
    throw Error(Errc::unavailable, "the card processor refused " + path + " (" + why + ")",
                "see billing.card in the config");
  }
  return j;
}

}  // namespace tseeder::net
