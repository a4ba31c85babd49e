#include "partial_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/digest.h"

namespace tseeder::engine_http {
namespace {

constexpr const char* kHeader = "tseeder-partial 2";

std::uint64_t number(const std::string& s) {
  return std::strtoull(s.c_str(), nullptr, 10);
}

}  // namespace

std::optional<PartialState> read_partial_state(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  PartialState s;
  std::string first, line;
  if (!std::getline(in, first)) return std::nullopt;
  if (first != kHeader) {
    // validator, name, total: written before downloads could use several connections.
    std::string total;
    s.validator = first;
    if (!std::getline(in, s.name) || !std::getline(in, total)) return std::nullopt;
    s.total = number(total);
    return s;
  }
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) return std::nullopt;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "validator") {
      s.validator = value;
    } else if (key == "name") {
      s.name = value;
    } else if (key == "total") {
      s.total = number(value);
    } else if (key == "digest") {
      s.digest = value;
    } else if (key == "segment") {
      Segment g;
      std::istringstream fields(value);
      if (!(fields >> g.start >> g.end >> g.done) || g.start > g.end || g.done > g.end - g.start || g.end > s.total)
        return std::nullopt;
      s.segments.push_back(g);
    }
  }
  if (s.name.empty()) return std::nullopt;
  return s;
}

void write_partial_state(const std::string& path, const PartialState& s, bool durable) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << kHeader << "\nvalidator=" << s.validator << "\nname=" << s.name << "\ntotal=" << s.total
        << "\ndigest=" << s.digest << "\n";
    for (const auto& g : s.segments) out << "segment=" << g.start << ' ' << g.end << ' ' << g.done << "\n";
  }
  if (durable) {
    const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
  std::rename(tmp.c_str(), path.c_str());
}

std::string content_identity(const std::string& url, const PartialState& s) {
  if (s.validator.empty() || !s.total) return {};
  try {
    return sha256_hex(url + "\n" + std::to_string(s.total) + "\n" + s.validator);
  } catch (const std::exception&) {
    return {};
  }
}

std::vector<Segment> plan_segments(std::uint64_t total, int connections, std::uint64_t min_bytes) {
  const std::uint64_t most = std::max<std::uint64_t>(1, total / std::max<std::uint64_t>(1, min_bytes));
  const std::uint64_t n = std::clamp<std::uint64_t>(static_cast<std::uint64_t>(std::max(connections, 1)), 1, most);
  std::vector<Segment> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) out.push_back({total * i / n, total * (i + 1) / n, 0});
  return out;
}

}  // namespace tseeder::engine_http
