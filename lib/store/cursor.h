// Where a page of a list starts: the sort key of the last row of the page before (a time and a
// key that breaks ties). Lists read from an index from there on, so no page walks the rows
// before it.
#pragma once
#include <cstdint>
#include <string>

namespace tseeder::store {

struct Cursor {
  std::int64_t at = 0;
  std::string key;
};

}  // namespace tseeder::store
