#include "core/unique_paths.h"

#include <map>
#include <set>
#include <string_view>

#include "core/path_safety.h"

namespace tseeder {
namespace {

constexpr std::size_t kMaxNameBytes = 255;

// Case-insensitive file systems (and zips unpacked on them) would merge names that differ only
// in ASCII case; compare names as they would.
std::string folded(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string joined(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

// "name (n).ext", cut so the result stays within a component's 255 bytes.
std::string numbered(const std::string& name, int n) {
  const std::string tag = " (" + std::to_string(n) + ")";
  auto dot = name.rfind('.');
  // An extension is a short tail after the last dot ("movie.mkv"), not a dot inside the name.
  if (dot == std::string::npos || dot == 0 || name.size() - dot > 16) dot = name.size();
  std::string stem = name.substr(0, dot);
  const std::string ext = name.substr(dot);
  const std::size_t room = kMaxNameBytes > tag.size() + ext.size() ? kMaxNameBytes - tag.size() - ext.size() : 0;
  if (stem.size() > room) {
    std::size_t end = room;
    while (end > 0 && (static_cast<unsigned char>(stem[end]) & 0xC0) == 0x80) --end;
    stem.resize(end);
  }
  return stem + tag + ext;
}

class Namer {
 public:
  std::string add(std::string_view untrusted) {
    const auto parts = components(untrusted);
    std::string dir, raw_dir;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      raw_dir.append(parts[i]).push_back('/');
      auto known = dirs_.find(raw_dir);
      if (known != dirs_.end()) {
        dir = known->second;
        continue;
      }
      dir = claim(dir, sanitize_file_name(parts[i], "_"));
      dirs_.emplace(raw_dir, dir);
    }
    return claim(dir, parts.empty() ? std::string("download") : sanitize_file_name(parts.back(), "_"));
  }

 private:
  // The components sanitize_relative_path keeps: not empty, ".", "..".
  static std::vector<std::string_view> components(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= path.size(); ++i) {
      if (i < path.size() && path[i] != '/' && path[i] != '\\') continue;
      auto part = path.substr(start, i - start);
      start = i + 1;
      if (!part.empty() && part != "." && part != "..") out.push_back(part);
    }
    return out;
  }

  // `name` inside `dir`, numbered until nothing else there has it.
  std::string claim(const std::string& dir, const std::string& name) {
    std::string path = joined(dir, name);
    for (int n = 2; taken_.contains(folded(path)); ++n) path = joined(dir, numbered(name, n));
    taken_.insert(folded(path));
    return path;
  }

  std::map<std::string, std::string> dirs_;  // untrusted directory prefix → its stored name
  std::set<std::string> taken_;              // folded names of stored files and directories
};

}  // namespace

std::vector<std::string> unique_relative_paths(const std::vector<std::string>& untrusted) {
  Namer namer;
  std::vector<std::string> out;
  out.reserve(untrusted.size());
  for (const auto& p : untrusted) out.push_back(namer.add(p));
  return out;
}

}  // namespace tseeder
