// Percent-encoding (RFC 3986): every byte but the unreserved characters (A-Z a-z 0-9 - _ . ~)
// and those in `keep` becomes %XX.
#pragma once
#include <string>
#include <string_view>

namespace tseeder {

std::string percent_encode(std::string_view s, std::string_view keep = {});

}  // namespace tseeder
