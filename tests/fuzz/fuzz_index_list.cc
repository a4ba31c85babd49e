// File index lists as typed ("0,3-5"): sorted, distinct, bounded, or a reason.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/index_list.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string why;
  auto list = tseeder::parse_index_list(text, 1000000, 5000, why);
  if (!list) return why.empty() ? (std::abort(), 0) : 0;
  if (list->empty() || list->size() > 5000 || list->back() > 1000000) std::abort();
  if (std::adjacent_find(list->begin(), list->end(), [](auto a, auto b) { return a >= b; }) != list->end())
    std::abort();
  return 0;
}
