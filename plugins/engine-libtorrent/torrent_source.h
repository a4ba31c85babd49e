// Turns a job's source (a magnet link, or the path of a .torrent file) into libtorrent's
// add_torrent_params, with limits on what an untrusted .torrent may make us allocate.
#pragma once
#include <libtorrent/add_torrent_params.hpp>
#include <string>

namespace tseeder::engine_libtorrent {

// Throws std::runtime_error with a reason fit for users when the source is unusable.
lt::add_torrent_params parse_source(const std::string& source);
bool looks_like_torrent_source(const std::string& source);
std::string infohash_hex(const lt::info_hash_t& ih);  // v1 when present, else v2

}  // namespace tseeder::engine_libtorrent
