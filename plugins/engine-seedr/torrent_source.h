// What engine-seedr can tell about a source before the service sees it: a magnet link's infohash
// and display name, or a .torrent file's (SHA-1 of its bencoded info dictionary).
#pragma once
#include <optional>
#include <string>

namespace tseeder::engine_seedr {

struct SourceFacts {
  std::string infohash;  // lower-case hex; empty when the source names none
  std::string name;
};

bool is_magnet(const std::string& source);
// An http(s) URL whose path ends in .torrent: the engine fetches the file and uploads it.
bool is_torrent_url(const std::string& source);
// The URL's host when it is an IP literal this server must not reach for a user (why), else nullopt.
std::optional<std::string> restricted_url_host(const std::string& url);
// A path to a file that starts like a bencoded dictionary (the host keeps uploads as files).
bool is_torrent_file(const std::string& source);
// nullopt with `why` set when the source is of this kind but unusable.
std::optional<SourceFacts> magnet_facts(const std::string& magnet, std::string& why);
std::optional<SourceFacts> torrent_file_facts(const std::string& path, std::string& why);

}  // namespace tseeder::engine_seedr
