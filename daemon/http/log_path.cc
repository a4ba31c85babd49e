#include "http/log_path.h"

#include "core/path_safety.h"

namespace tseeder::daemon {

std::string log_path(std::string_view path) {
  // Decoded once more than the router does, so "/dl%2FTOKEN" and "/%64l/TOKEN" are caught too.
  const std::string decoded = percent_decode(percent_decode(path));
  std::string out;
  std::size_t start = 0;
  while (start <= decoded.size()) {
    auto slash = decoded.find_first_of("/\\", start);
    if (slash == std::string::npos) slash = decoded.size();
    const std::string segment = decoded.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty()) continue;
    out += "/" + segment;
    std::string lower = segment;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // A token may follow in the same segment ("dl;TOKEN", "dl.TOKEN") as well as after it.
    if (lower.starts_with("dl") && (lower.size() == 2 || !std::isalnum(static_cast<unsigned char>(lower[2])))) {
      out.resize(out.size() - segment.size() + 2);
      out += "/…";
      return out;
    }
  }
  if (out.empty()) out = "/";
  if (out.size() > 200) out = valid_utf8(out.substr(0, 200)) + "…";
  return valid_utf8(out);
}

}  // namespace tseeder::daemon
