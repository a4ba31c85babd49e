#include "file_names.h"

#include "core/unique_paths.h"
#include "torrent_session.h"

namespace tseeder::engine_libtorrent {

std::vector<std::string> stored_names(const lt::torrent_info& ti) {
  std::vector<std::string> paths;
  for (auto i : host_files(ti)) paths.push_back(ti.orig_files().file_path(i));
  return unique_relative_paths(paths);
}

std::vector<std::pair<lt::file_index_t, std::string>> renames(const lt::torrent_info& ti,
                                                              const std::vector<std::string>& names) {
  std::vector<std::pair<lt::file_index_t, std::string>> out;
  const auto files = host_files(ti);
  for (std::size_t k = 0; k < files.size() && k < names.size(); ++k)
    if (ti.orig_files().file_path(files[k]) != names[k]) out.emplace_back(files[k], names[k]);
  return out;
}

}  // namespace tseeder::engine_libtorrent
