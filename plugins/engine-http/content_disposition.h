// The file name a server suggests in Content-Disposition (RFC 6266), untrusted and unsanitized.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace tseeder::engine_http {

// Prefers filename*=UTF-8''… over filename=; nullopt when neither is present.
std::optional<std::string> content_disposition_filename(std::string_view header_value);

// The last path segment of a URL, percent-decoded; empty when the path ends in '/'.
std::string url_file_name(std::string_view url);

}  // namespace tseeder::engine_http
