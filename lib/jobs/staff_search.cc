#include "jobs/staff_search.h"

#include "core/error.h"
#include "core/path_safety.h"

namespace tseeder::jobs {

std::string search_text(const std::string& raw) {
  auto begin = raw.find_first_not_of(" \t");
  auto end = raw.find_last_not_of(" \t");
  std::string q = begin == std::string::npos ? std::string() : raw.substr(begin, end - begin + 1);
  if (q.empty())
    throw Error(Errc::invalid_argument, "query parameter 'q' is empty",
                "give part of a name, an id, an email or an action", "q");
  if (q.size() > kMaxSearchText)
    throw Error(Errc::invalid_argument,
                "query parameter 'q' is longer than " + std::to_string(kMaxSearchText) + " characters", {}, "q");
  if (valid_utf8(q) != q) throw Error(Errc::invalid_argument, "query parameter 'q' is not UTF-8 text", {}, "q");
  for (unsigned char c : q)
    if (c < 0x20 || c == 0x7f)
      throw Error(Errc::invalid_argument, "query parameter 'q' holds a control character", {}, "q");
  return q;
}

}  // namespace tseeder::jobs
