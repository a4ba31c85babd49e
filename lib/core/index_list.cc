#include "core/index_list.h"

#include <algorithm>
#include <charconv>

namespace tseeder {
namespace {

bool parse_number(std::string_view s, std::uint32_t max, std::uint32_t& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size() && out <= max;
}

}  // namespace

std::optional<std::vector<std::uint32_t>> parse_index_list(std::string_view text, std::uint32_t max_index,
                                                           std::size_t max_count, std::string& why) {
  std::vector<std::uint32_t> out;
  if (text.empty()) {
    why = "the list of file indexes is empty";
    return std::nullopt;
  }
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    std::string_view item = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    auto dash = item.find('-');
    std::uint32_t first = 0, last = 0;
    bool ok = dash == std::string_view::npos
                  ? parse_number(item, max_index, first) && (last = first, true)
                  : parse_number(item.substr(0, dash), max_index, first) &&
                        parse_number(item.substr(dash + 1), max_index, last) && first <= last;
    if (!ok) {
      why = "'" + std::string(item) + "' is not an index or a range like 3-5 (indexes 0 to " +
            std::to_string(max_index) + ")";
      return std::nullopt;
    }
    if (out.size() + (last - first) + 1 > max_count) {
      why = "the list names more than " + std::to_string(max_count) + " files";
      return std::nullopt;
    }
    for (std::uint32_t i = first;; ++i) {
      out.push_back(i);
      if (i == last) break;
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  std::sort(out.begin(), out.end());
  if (auto dup = std::adjacent_find(out.begin(), out.end()); dup != out.end()) {
    why = "file " + std::to_string(*dup) + " is listed twice";
    return std::nullopt;
  }
  return out;
}

}  // namespace tseeder
