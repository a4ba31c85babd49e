// multipart/form-data request bodies (RFC 7578), as browsers and `curl -F` send them.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tseeder::daemon {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;
  std::string data;
};

// The boundary of a "multipart/form-data; boundary=…" content type; nullopt for other types.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Splits the body into its parts. Throws Error(Errc::invalid_argument) for a malformed body,
// more than `max_parts` parts, or a part without a name.
std::vector<FormPart> parse_multipart(std::string_view body, std::string_view boundary, std::size_t max_parts = 16);

}  // namespace tseeder::daemon
