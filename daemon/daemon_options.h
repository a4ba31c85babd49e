// tseederd's command line: flags override the YAML config so scripts and tests need no file.
#pragma once
#include <optional>
#include <string>

#include "config/config.h"

namespace tseeder::daemon {

struct DaemonOptions {
  std::string config_path;
  std::optional<std::string> data_dir, listen, socket, plugin_dir, log_level;
  std::string ready_file;  // written (JSON: url, socket, pid) once listening
  bool dump_config = false;
  bool allow_private_urls = false;  // tests and single-user boxes
  bool list_routes = false;
};

// Returns the exit code to stop with (help, version, usage error) or nullopt to go on.
std::optional<int> parse_daemon_options(int argc, char** argv, DaemonOptions& out);
// The config file (if any) with the flags applied on top; throws Error(Errc::config).
config::Config resolve_config(const DaemonOptions& opts);

}  // namespace tseeder::daemon
