// Untrusted names must never produce a path that leaves its base directory.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/path_safety.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  std::string name = tseeder::sanitize_file_name(in);
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == ".." || name[0] == '.')
    std::abort();
  std::string rel = tseeder::sanitize_relative_path(in);
  auto joined = tseeder::join_inside("/base/dir", rel);
  if (!joined || joined->string().rfind("/base/dir/", 0) != 0) std::abort();
  auto raw = tseeder::join_inside("/base/dir", in);
  if (raw && raw->lexically_normal().string().rfind("/base/dir/", 0) != 0) std::abort();
  (void)tseeder::percent_decode(in);
  return 0;
}
