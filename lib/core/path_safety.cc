#include "core/path_safety.h"

#include <vector>

namespace tseeder {
namespace {

constexpr std::size_t kMaxNameBytes = 255;

bool is_forbidden_byte(unsigned char c) {
  return c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':' || c == '"' || c == '*' || c == '?' || c == '<' ||
         c == '>' || c == '|';
}

// Cut at `limit` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string s, std::size_t limit) {
  if (s.size() <= limit) return s;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
  return s;
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one (stray continuation,
// overlong form, surrogate, beyond U+10FFFF, cut short).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
  if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogate
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
  if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // beyond U+10FFFF
  return n;
}

}  // namespace

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out.push_back('_');
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string sanitize_file_name(std::string_view untrusted, std::string_view fallback) {
  std::string out = valid_utf8(untrusted);
  for (char& c : out)
    if (is_forbidden_byte(static_cast<unsigned char>(c))) c = '_';
  // Leading dots would hide the file or make "." / ".."; trailing spaces and dots confuse shells.
  std::size_t first = out.find_first_not_of(". ");
  out = first == std::string::npos ? std::string() : out.substr(first);
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
  out = cut_utf8(std::move(out), kMaxNameBytes);
  if (out.empty()) return std::string(fallback);
  return out;
}

std::string sanitize_relative_path(std::string_view untrusted, std::string_view fallback) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= untrusted.size(); ++i) {
    if (i == untrusted.size() || untrusted[i] == '/' || untrusted[i] == '\\') {
      std::string_view part = untrusted.substr(start, i - start);
      start = i + 1;
      if (part.empty() || part == "." || part == "..") continue;
      parts.push_back(sanitize_file_name(part, "_"));
    }
  }
  if (parts.empty()) return std::string(fallback);
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out.push_back('/');
    out += p;
  }
  return out;
}

std::optional<std::filesystem::path> join_inside(const std::filesystem::path& base, std::string_view relative) {
  std::filesystem::path rel(relative);
  if (relative.empty() || rel.is_absolute() || relative.find('\0') != std::string_view::npos) return std::nullopt;
  for (const auto& part : rel)
    if (part == "..") return std::nullopt;
  const auto norm_base = base.lexically_normal();
  auto joined = (norm_base / rel).lexically_normal();
  auto back = joined.lexically_relative(norm_base);
  // Compare whole components: "....name" is a file name, not a way up.
  if (back.empty() || *back.begin() == ".." || back == ".") return std::nullopt;
  return joined;
}

std::string percent_decode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace tseeder
