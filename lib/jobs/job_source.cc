#include "jobs/job_source.h"

#include "core/error.h"

namespace tseeder::jobs {

constexpr std::size_t kMaxUrlBytes = 8192;

JobRequest parse_job_request(const Json& body) {
  reject_unknown_fields(body, {"url"});
  auto url = optional_string(body, "url");
  if (!url) throw Error(Errc::invalid_argument, "field 'url' is required", "send {\"url\": \"https://…\"}", "url");
  if (url->empty()) throw Error(Errc::invalid_argument, "field 'url' is empty", {}, "url");
  if (url->size() > kMaxUrlBytes)
    throw Error(Errc::invalid_argument, "field 'url' is longer than 8192 bytes", {}, "url");
  for (unsigned char c : *url)
    if (c <= 0x20 || c == 0x7f)
      throw Error(Errc::invalid_argument, "field 'url' contains spaces or control characters", "percent-encode them",
                  "url");
  auto colon = url->find("://");
  if (colon == std::string::npos || colon == 0)
    throw Error(Errc::invalid_argument, "field 'url' is not an absolute URL", {}, "url");
  return {"url", *url};
}

}  // namespace tseeder::jobs
