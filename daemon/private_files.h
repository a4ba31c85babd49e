// The daemon's files are the service's alone: what it creates is 0600/0700 (umask 077), and what
// an older install left open to others is tightened at start.
#pragma once
#include <string>
#include <vector>

#include "config/config.h"

namespace tseeder::daemon {

// Sets the process umask to 077. First thing in main: plugins and libraries create files too.
void private_umask();

// Tightens the data dir (0710: the group may reach the socket inside by name, nothing more), the
// database with its WAL and SHM (0600), and secrets/, downloads/, torrents/ and local storage
// (0700). Returns "PATH (0755 → 0700)" for each path it changed. Secret files keep their own
// check (read_secret_file refuses one readable by others).
std::vector<std::string> tighten_modes(const config::Config& cfg);

}  // namespace tseeder::daemon
