#include "torrent_source.h"

#include <libtorrent/load_torrent.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/torrent_info.hpp>
#include <sstream>
#include <stdexcept>

namespace tseeder::engine_libtorrent {

namespace {

bool is_magnet(const std::string& s) {
  return s.rfind("magnet:?", 0) == 0;
}

bool is_torrent_path(const std::string& s) {
  return !s.empty() && s[0] == '/' && s.size() > 8 && s.compare(s.size() - 8, 8, ".torrent") == 0;
}

lt::load_torrent_limits limits() {
  lt::load_torrent_limits l;
  l.max_buffer_size = 4 * 1024 * 1024;  // the core refuses larger uploads anyway
  l.max_pieces = 0x100000;
  l.max_decode_depth = 100;
  l.max_decode_tokens = 2000000;
  return l;
}

}  // namespace

bool looks_like_torrent_source(const std::string& source) {
  return is_magnet(source) || is_torrent_path(source);
}

lt::add_torrent_params parse_source(const std::string& source) {
  if (is_magnet(source)) {
    lt::error_code ec;
    lt::add_torrent_params p = lt::parse_magnet_uri(source, ec);
    if (ec) throw std::runtime_error("bad magnet link: " + ec.message());
    if (!p.info_hashes.has_v1() && !p.info_hashes.has_v2())
      throw std::runtime_error("bad magnet link: no xt=urn:btih: or urn:btmh: infohash");
    return p;
  }
  if (is_torrent_path(source)) {
    try {
      return lt::load_torrent_file(source, limits());
    } catch (const lt::system_error& e) {
      // Reading past the end is what a cut-off upload looks like; say so.
      const bool cut = e.code() == lt::bdecode_errors::unexpected_eof;
      throw std::runtime_error("bad .torrent file: " + e.code().message() + (cut ? " (the file is truncated)" : ""));
    }
  }
  throw std::runtime_error("not a magnet link or .torrent file");
}

std::string infohash_hex(const lt::info_hash_t& ih) {
  std::ostringstream out;  // digests print as lower-case hex
  if (ih.has_v1())
    out << ih.v1;
  else
    out << ih.v2;
  return out.str();
}

}  // namespace tseeder::engine_libtorrent
