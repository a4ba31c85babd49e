// Untrusted names (URL file names, Content-Disposition, torrent paths) become local paths here.
// Shared with plugins, which link it statically: keep it free of other project headers.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace tseeder {

// `s` with every byte that is not part of a valid UTF-8 sequence replaced by '_' (names from
// servers and torrents may be Latin-1 or garbage; everything downstream expects UTF-8).
std::string valid_utf8(std::string_view s);

// One path component: valid UTF-8, no separators, no control characters, not "." or "..", no leading dot
// run, at most 255 bytes (cut on a UTF-8 boundary). Empty or unusable input gives `fallback`.
std::string sanitize_file_name(std::string_view untrusted, std::string_view fallback = "download");

// A relative path of sanitized components ('/' or '\\' separated). Components that are empty,
// "." or ".." are dropped, so the result can never climb out of the directory it is joined to.
std::string sanitize_relative_path(std::string_view untrusted, std::string_view fallback = "download");

// `base / relative` if the result stays inside `base` once normalized (lexically), else nullopt.
std::optional<std::filesystem::path> join_inside(const std::filesystem::path& base, std::string_view relative);

// %XX decoding for URL path segments; invalid escapes are kept as they are.
std::string percent_decode(std::string_view text);

}  // namespace tseeder
