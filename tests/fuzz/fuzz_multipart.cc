// multipart/form-data bodies and content types: parts stay within the body, or an Error.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const auto split = text.find('\n');
  const std::string content_type = text.substr(0, split);
  const std::string body = split == std::string::npos ? std::string() : text.substr(split + 1);
  try {
    auto boundary = tseeder::daemon::multipart_boundary(content_type);
    if (!boundary) return 0;
    std::size_t total = 0;
    for (const auto& part : tseeder::daemon::parse_multipart(body, *boundary)) {
      if (part.name.empty()) std::abort();
      total += part.data.size();
    }
    if (total > body.size()) std::abort();
  } catch (const tseeder::Error&) {
  }
  return 0;
}
