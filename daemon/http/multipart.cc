#include "http/multipart.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace tseeder::daemon {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void malformed(const std::string& why) {
  throw Error(Errc::invalid_argument, "multipart body is malformed: " + why,
              "send multipart/form-data as `curl -F torrent=@file.torrent` does");
}

// The value of `key` among the ';'-separated parameters of a header value; quoted or bare.
std::optional<std::string> header_param(std::string_view value, std::string_view key) {
  std::size_t pos = 0;
  while (pos < value.size()) {
    auto semi = value.find(';', pos);
    // A quoted value may hold ';': find the closing quote first.
    auto eq = value.find('=', pos);
    if (eq == std::string_view::npos || (semi != std::string_view::npos && eq > semi)) {
      if (semi == std::string_view::npos) break;
      pos = semi + 1;
      continue;
    }
    std::string name = lower(trim(value.substr(pos, eq - pos)));
    std::size_t vstart = eq + 1;
    while (vstart < value.size() && value[vstart] == ' ') ++vstart;
    std::string v;
    std::size_t next;
    if (vstart < value.size() && value[vstart] == '"') {
      std::size_t i = vstart + 1;
      for (; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        v.push_back(value[i]);
      }
      if (i >= value.size()) malformed("unterminated quoted parameter");
      next = value.find(';', i);
    } else {
      next = value.find(';', vstart);
      v = std::string(
          trim(value.substr(vstart, next == std::string_view::npos ? std::string_view::npos : next - vstart)));
    }
    if (name == key) return v;
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto semi = content_type.find(';');
  if (lower(trim(content_type.substr(0, semi))) != "multipart/form-data") return std::nullopt;
  if (semi == std::string_view::npos) malformed("the content type has no boundary");
  auto b = header_param(content_type.substr(semi + 1), "boundary");
  if (!b || b->empty() || b->size() > 70) malformed("the boundary is missing or longer than 70 characters");
  return b;
}

std::vector<FormPart> parse_multipart(std::string_view body, std::string_view boundary, std::size_t max_parts) {
  const std::string delim = "--" + std::string(boundary);
  if (body.substr(0, delim.size()) != delim) malformed("it does not start with the boundary");
  std::size_t pos = delim.size();
  std::vector<FormPart> parts;
  while (true) {
    if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") malformed("a boundary line does not end with CRLF");
    pos += 2;
    if (parts.size() == max_parts) malformed("more than " + std::to_string(max_parts) + " parts");
    auto head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) malformed("a part's headers do not end");
    FormPart part;
    bool has_disposition = false;
    std::string_view head = body.substr(pos, head_end - pos);
    while (!head.empty()) {
      auto eol = head.find("\r\n");
      std::string_view line = head.substr(0, eol);
      auto colon = line.find(':');
      if (colon == std::string_view::npos) malformed("a part header has no ':'");
      if (lower(trim(line.substr(0, colon))) == "content-disposition") {
        std::string_view value = line.substr(colon + 1);
        auto semi = value.find(';');
        if (lower(trim(value.substr(0, semi))) != "form-data" || semi == std::string_view::npos)
          malformed("a part is not form-data");
        auto params = value.substr(semi + 1);
        part.name = header_param(params, "name").value_or("");
        part.filename = header_param(params, "filename");
        has_disposition = true;
      }
      if (eol == std::string_view::npos) break;
      head.remove_prefix(eol + 2);
    }
    if (!has_disposition || part.name.empty()) malformed("a part has no name");
    pos = head_end + 4;
    // A delimiter is CRLF--boundary followed by CRLF or "--"; anything else is still data.
    const std::string marker = "\r\n" + delim;
    auto next = body.find(marker, pos);
    while (next != std::string_view::npos) {
      auto after = body.substr(next + marker.size(), 2);
      if (after == "\r\n" || after == "--") break;
      next = body.find(marker, next + 1);
    }
    if (next == std::string_view::npos) malformed("the closing boundary is missing");
    part.data = std::string(body.substr(pos, next - pos));
    parts.push_back(std::move(part));
    pos = next + 2 + delim.size();
  }
}

}  // namespace tseeder::daemon
