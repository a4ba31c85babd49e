// Server-supplied Content-Disposition headers and URLs: no crash, and a sanitized result.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "content_disposition.h"
#include "core/path_safety.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  if (auto name = tseeder::engine_http::content_disposition_filename(in)) {
    std::string safe = tseeder::sanitize_file_name(*name);
    if (safe.find('/') != std::string::npos) std::abort();
  }
  (void)tseeder::engine_http::url_file_name(in);
  return 0;
}
