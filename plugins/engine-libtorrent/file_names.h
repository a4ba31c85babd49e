// Where a torrent's files lie in the work dir: under the names the host stores them by
// (sanitized, unique within the job), not as the torrent spells them. libtorrent keeps names
// that differ only in what sanitizing removes, and for metadata from peers it does not resolve
// duplicates at all, so two files of one torrent could otherwise share one path on disk.
#pragma once
#include <libtorrent/torrent_info.hpp>
#include <string>
#include <utility>
#include <vector>

namespace tseeder::engine_libtorrent {

// The stored name of every file the host sees (pad files left out), in the host's order.
std::vector<std::string> stored_names(const lt::torrent_info& ti);

// The files whose path in the torrent differs from its stored name, with that name.
std::vector<std::pair<lt::file_index_t, std::string>> renames(const lt::torrent_info& ti,
                                                              const std::vector<std::string>& names);

}  // namespace tseeder::engine_libtorrent
