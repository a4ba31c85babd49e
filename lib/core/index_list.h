// File index lists as people type them: "0,3-5,9".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tseeder {

// Sorted, distinct indexes; nullopt (with a reason in `why`) for anything else, including
// reversed or overlapping ranges and lists over `max_count` indexes.
std::optional<std::vector<std::uint32_t>> parse_index_list(std::string_view text, std::uint32_t max_index,
                                                           std::size_t max_count, std::string& why);

}  // namespace tseeder
