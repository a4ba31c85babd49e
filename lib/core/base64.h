// Standard base64 (RFC 4648) for .torrent files carried in JSON.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace tseeder {

std::string encode_base64(std::string_view bytes);
// Padding optional, whitespace ignored; nullopt when malformed.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace tseeder
